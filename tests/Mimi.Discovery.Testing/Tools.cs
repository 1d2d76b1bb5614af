using System.Diagnostics;

namespace Mimi.Discovery.Testing;

/// <summary>Runs the independent verifiers (openssl, node) and reports their output.</summary>
public static class Tools
{
    /// <summary>
    /// Runs <paramref name="file"/> to its end. A run that outlasts <paramref name="timeout"/> (60 s unless given) is
    /// killed with its children and fails with what it printed so far, instead of leaving a bare cancellation.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{file} {arguments} did not finish within {limit.TotalSeconds:0} s. It printed:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The clone the tests run from: the nearest directory above the test binaries holding Mimi.Discovery.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The repository's tests/peers/NAME folder, with its node_modules installed (./test.sh runs npm ci).</summary>
    public static string Peer(string name)
    {
        var peer = Path.Combine(RepositoryRoot, "tests", "peers", name);
        if (!Directory.Exists(Path.Combine(peer, "node_modules")))
        {
            throw new InvalidOperationException($"{peer}/node_modules is missing: run ./test.sh (it runs npm ci there).");
        }

        return peer;
    }

    private static string FindRepositoryRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Mimi.Discovery.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("Mimi.Discovery.sln not found above the test binaries.");
    }
}
