using System.CommandLine;
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
