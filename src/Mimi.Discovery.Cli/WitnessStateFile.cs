using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Cli;

/// <summary>
/// A witness's state as a JSON file, <c>{"logs":[{"origin":…,"size":…,"root":base64}]}</c>: the latest checkpoint it
/// cosigned per log. Every change is written to a temporary file, flushed to disk, renamed over the state and the
/// directory flushed, so a crash leaves either the old state or the new one, never a rolled-back or torn one. A lock
/// file held while the witness runs keeps a second witness process off the same state.
/// </summary>
internal sealed class WitnessStateFile : IWitnessState, IDisposable
{
    private readonly string _path;
    private readonly FileStream _lock;
    private Dictionary<string, Checkpoint> _logs;

    private WitnessStateFile(string path, FileStream lockFile, Dictionary<string, Checkpoint> logs)
    {
        _path = path;
        _lock = lockFile;
        _logs = logs;
    }

    /// <summary>Takes the state's lock and reads it (an absent file is an empty state).</summary>
    /// <exception cref="CliException">Another process holds the state.</exception>
    /// <exception cref="InvalidDataException">The file is not a witness state.</exception>
    public static WitnessStateFile Open(string path)
    {
        path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new CliException($"The witness state '{path}' is in use by another process ({e.Message}).");
        }

        try
        {
            return new WitnessStateFile(path, lockFile, File.Exists(path) ? Read(path) : new Dictionary<string, Checkpoint>(StringComparer.Ordinal));
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>The logs the state knows, with the latest checkpoint cosigned for each.</summary>
    public IReadOnlyCollection<Checkpoint> Logs => _logs.Values;

    public ValueTask<Checkpoint?> GetAsync(string origin, CancellationToken ct) => ValueTask.FromResult(_logs.GetValueOrDefault(origin));

    public async ValueTask SetAsync(Checkpoint checkpoint, CancellationToken ct)
    {
        var next = new Dictionary<string, Checkpoint>(_logs, StringComparer.Ordinal) { [checkpoint.Origin] = checkpoint };
        var temporary = _path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await file.WriteAsync(Format(next), CancellationToken.None);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(_path)!);
        _logs = next;
    }

    public void Dispose() => _lock.Dispose();

    private static byte[] Format(Dictionary<string, Checkpoint> logs)
    {
        var array = new JsonArray();
        foreach (var checkpoint in logs.Values.OrderBy(c => c.Origin, StringComparer.Ordinal))
        {
            array.Add(new JsonObject
            {
                ["origin"] = checkpoint.Origin,
                ["size"] = checkpoint.Size,
                ["root"] = Convert.ToBase64String(checkpoint.RootHash),
            });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["logs"] = array }, CliJson.Indented);
    }

    private static Dictionary<string, Checkpoint> Read(string path)
    {
        var logs = new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in JsonNode.Parse(File.ReadAllBytes(path))?["logs"]?.AsArray() ?? throw new InvalidDataException("no 'logs' array"))
            {
                var checkpoint = new Checkpoint(entry!["origin"]!.GetValue<string>(), entry["size"]!.GetValue<long>(),
                    Convert.FromBase64String(entry["root"]!.GetValue<string>()));
                logs.Add(checkpoint.Origin, checkpoint);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException or NullReferenceException)
        {
            throw new InvalidDataException($"'{path}' is not a witness state file ({e.Message}).", e);
        }

        return logs;
    }

    /// <summary>fsync of the directory, so the rename itself survives a power loss (Linux and macOS; elsewhere the rename only).</summary>
    private static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Open(directory, 0);
        if (fd < 0)
        {
            throw new IOException($"Could not open '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush '{directory}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code, which the CLI does not allow.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
