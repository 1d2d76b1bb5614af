using Mimi.Discovery.Sandbox;
using Spectre.Console;

namespace Mimi.Discovery.Cli.Demo;

/// <summary>What the demo needs besides .NET: node with the MLS client's packages, and dnsmasq.</summary>
internal static class DemoPrerequisites
{
    /// <summary>Finds tests/peers/mls (installing its packages when missing) and checks for dnsmasq; returns the peer folder.</summary>
    public static string Check()
    {
        if (!File.Exists(DnsmasqServer.Binary))
        {
            throw new CliException("mimi demo runs a real DNS server: install dnsmasq (apt-get install dnsmasq-base), or run ./test.sh once, which installs it.");
        }

        var peer = MlsPeer.FindDirectory() ?? throw new CliException("tests/peers/mls not found: run mimi demo from the repository (the MLS clients are ts-mls, in tests/peers/mls).");
        if (!System.IO.Directory.Exists(Path.Combine(peer, "node_modules")))
        {
            AnsiConsole.MarkupLine("[grey]installing the MLS client's packages (npm ci in tests/peers/mls)…[/]");
            var (code, output) = Run("npm", "ci --no-audit --no-fund --loglevel=error", peer);
            if (code != 0)
            {
                throw new CliException($"npm ci in {peer} failed (node 20 and npm are needed):\n{output}");
            }
        }

        return peer;
    }

    private static (int Code, string Output) Run(string file, string arguments, string directory)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, $"{file} is not installed.");
        }
    }
}
