using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary><c>mimi console</c> and <c>mimi traffic</c>: the operator's views of the running service.</summary>
internal static class OperationsCommands
{
    public static Command Console()
    {
        var open = new Option<bool>("--open") { Description = "Also open the link in the desktop's browser (xdg-open)." };
        var command = new Command("console", "Prints a one-time link that signs a browser in to the operator console (operator key).") { open };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var link = await MimiCommand.Client(parse).CreateConsoleSignInLinkAsync(ct);
            // The bare URL on its own line, for a script or a copy; the expiry on stderr.
            System.Console.WriteLine(link.Url);
            await System.Console.Error.WriteLineAsync(
                $"One-time link, valid until {link.Expires.ToLocalTime().ToString("T", CultureInfo.CurrentCulture)}: open it once, in the browser you will use.");
            if (parse.GetValue(open))
            {
                using var browser = Process.Start(new ProcessStartInfo("xdg-open") { ArgumentList = { link.Url }, UseShellExecute = false })
                                    ?? throw new CliException("xdg-open did not start; open the link by hand.");
            }
        }));
        return command;
    }

    public static Command Traffic()
    {
        var minutes = new Option<int>("--minutes") { Description = "How far back, 1 to 1440 minutes.", DefaultValueFactory = _ => 60 };
        var json = new Option<bool>("--json") { Description = "Print the per-minute series as JSON." };
        var command = new Command("traffic", "Lookups over the last minutes per requester and outcome, as the instance answering counted them (operator).")
        {
            minutes, json,
        };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var traffic = await MimiCommand.Client(parse).GetLookupTrafficAsync(parse.GetValue(minutes), ct);
            if (parse.GetValue(json))
            {
                System.Console.WriteLine(JsonSerializer.Serialize(traffic, CliJson.Indented));
                return;
            }

            AnsiConsole.MarkupLineInterpolated($"lookups since {traffic.Start.ToLocalTime():g} ({traffic.Minutes} min), this instance:");
            var table = new Table().AddColumns("requester", "outcome", "total", "last minute", "peak / min");
            foreach (var s in traffic.Series)
            {
                var refused = s.Outcome.StartsWith("refused", StringComparison.Ordinal) || s.Outcome == "limiter-unavailable";
                table.AddRow(Markup.Escape(s.Requester), refused ? $"[red]{Markup.Escape(s.Outcome)}[/]" : Markup.Escape(s.Outcome),
                    s.Total.ToString(CultureInfo.InvariantCulture), s.Counts[^1].ToString(CultureInfo.InvariantCulture),
                    s.Counts.Max().ToString(CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
        }));
        return command;
    }
}
