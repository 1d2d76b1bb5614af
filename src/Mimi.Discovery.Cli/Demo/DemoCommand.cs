using System.CommandLine;
using Mimi.Discovery.Sandbox;
using Spectre.Console;

namespace Mimi.Discovery.Cli.Demo;

/// <summary>
/// <c>mimi demo</c>: the flow of first contact on one machine, step by step — a discovery service and two providers,
/// real DNS SRV records, a private lookup, consent, a KeyPackage claim and real MLS clients exchanging messages.
/// </summary>
internal static class DemoCommand
{
    private const string Alpha = "alpha.demo";
    private const string Beta = "beta.demo";
    private const string BobNumber = "tel:+15550001111";
    private const string Bob = "mimi://beta.demo/u/bob";
    private const string Alice = "mimi://alpha.demo/u/alice";

    public static Command Build()
    {
        var keep = new Option<bool>("--keep") { Description = "Keep the demo's data directory (databases, keys) afterwards." };
        var command = new Command("demo",
            "Runs first contact end to end on this machine: a discovery service and two providers (alpha.demo, beta.demo) on the embedded default, "
            + "dnsmasq for their SRV records, and ts-mls clients (node) for Alice and Bob.") { keep };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(() => RunAsync(parse.GetValue(keep), ct)));
        return command;
    }

    private static async Task RunAsync(bool keep, CancellationToken ct)
    {
        var peerDirectory = DemoPrerequisites.Check();
        var directory = System.IO.Directory.CreateTempSubdirectory("mimi-demo-").FullName;
        AnsiConsole.MarkupLine($"[grey]data in {Markup.Escape(directory)}[/]");
        try
        {
            await using var network = await Step("Start a discovery service, alpha.demo and beta.demo, and a DNS server with their SRV records",
                () => DemoNetwork.StartAsync(directory, [Alpha, Beta], ct),
                n => $"discovery {n.DiscoveryUrl}, alpha.demo :{n.Port(Alpha)}, beta.demo :{n.Port(Beta)}");
            await new DemoFlow(network, peerDirectory).RunAsync(ct);
        }
        finally
        {
            if (!keep)
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>Runs one step, printing what it did (or why it failed).</summary>
    internal static async Task<T> Step<T>(string title, Func<Task<T>> action, Func<T, string> outcome)
    {
        AnsiConsole.MarkupLine($"[bold]▸ {Markup.Escape(title)}[/]");
        var result = await action();
        AnsiConsole.MarkupLine($"  [green]✓[/] {Markup.Escape(outcome(result))}");
        return result;
    }
}

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
