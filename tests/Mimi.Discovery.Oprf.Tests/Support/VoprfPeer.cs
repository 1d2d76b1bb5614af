using System.Diagnostics;
using System.Text.Json;

namespace Mimi.Discovery.Oprf.Tests.Support;

/// <summary>@cloudflare/voprf-ts (tests/peers/voprf/peer.mjs) as an independent RFC 9497 implementation.</summary>
public static class VoprfPeer
{
    public sealed record Outcome(int ExitCode, JsonElement? Result, string Error)
    {
        public bool Succeeded => ExitCode == 0 && Result is not null;

        public string Get(string name) => Result!.Value.GetProperty(name).GetString()!;

        public string[] GetList(string name) => [.. Result!.Value.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
    }

    public static string ModeName(OprfMode mode) => mode == OprfMode.Voprf ? "voprf" : "oprf";

    public static Outcome Run(params string[] arguments)
    {
        var peer = PeerDirectory();
        if (!Directory.Exists(Path.Combine(peer, "node_modules", "@cloudflare", "voprf-ts")))
        {
            Assert.Fail($"The voprf-ts peer is not installed: '{peer}/node_modules' is missing. Run the project's test setup (./test.sh runs 'npm ci' in tests/peers/voprf).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = peer,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("peer.mjs");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node peer.mjs {string.Join(' ', arguments)} did not finish within 60 s.");
        }

        var output = stdout.Result.Trim();
        JsonElement? result = process.ExitCode == 0 && output.Length > 0 ? JsonDocument.Parse(output).RootElement.Clone() : null;
        return new Outcome(process.ExitCode, result, stderr.Result);
    }

    private static string PeerDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "peers", "voprf");
            if (File.Exists(Path.Combine(candidate, "peer.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Could not find tests/peers/voprf above " + AppContext.BaseDirectory);
    }
}
