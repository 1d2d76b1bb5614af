using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Mimi.Discovery.Server.Tests.Storage;

/// <summary>
/// A small tmpfs of its own for one test's data directory, so the test can fill it or make it read-only while the
/// service runs. Mounting needs root, which the tests have here and in CI.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    public SmallDisk(int megabytes)
    {
        Path = Directory.CreateTempSubdirectory("mimi-disk-").FullName;
        Run("mount", $"-t tmpfs -o size={megabytes}m,mode=0700 tmpfs {Path}");
    }

    /// <summary>The mount point: give it to the service as its data directory.</summary>
    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler");

    /// <summary>Writes a file until the disk has no space left.</summary>
    public void Fill()
    {
        var chunk = new byte[64 * 1024];
        using var filler = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            while (true)
            {
                filler.Write(chunk);
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full. A smaller write may still fit the last partial page; take that too.
        }

        try
        {
            while (true)
            {
                filler.Write(chunk, 0, 512);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Deletes the filler: the space comes back.</summary>
    public void Free() => File.Delete(Filler);

    /// <summary>Remounts read-only while the service runs (as a kernel does after I/O errors).</summary>
    /// <remarks>
    /// Linux refuses (EBUSY) while a file on the mount is open for writing, and pooled SQLite connections hold the
    /// database open: close the idle ones and try again until no connection happens to be in use.
    /// </remarks>
    public void RemountReadOnly()
    {
        for (var attempt = 0; ; attempt++)
        {
            SqliteConnection.ClearAllPools();
            if (TryRun("mount", $"-o remount,ro {Path}", out var error))
            {
                return;
            }

            if (attempt == 50)
            {
                throw new InvalidOperationException("Could not remount read-only: " + error);
            }

            Thread.Sleep(20);
        }
    }

    public void RemountWritable() => Run("mount", $"-o remount,rw {Path}");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (!TryRun("umount", Path, out _))
        {
            // Something still holds a file open: detach now, the kernel frees the mount when it closes.
            TryRun("umount", "-l " + Path, out _);
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Run(string file, string arguments)
    {
        if (!TryRun(file, arguments, out var error))
        {
            throw new InvalidOperationException($"{file} {arguments} failed: {error}");
        }
    }

    private static bool TryRun(string file, string arguments, out string error)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
