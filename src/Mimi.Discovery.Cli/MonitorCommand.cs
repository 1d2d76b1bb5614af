using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary>
/// <c>mimi monitor</c>: one monitoring pass of the log for a provider (<see cref="LogMonitor"/>), keeping its state in a
/// file like <c>mimi audit</c>. Exit 0 with no alert, 1 with alerts (each a line starting <c>ALERT</c>, and
/// <c>--on-alert</c> run per alert), 2 when the log fails verification or cannot be read (the state is then kept as it
/// was). An alert is raised once: the next pass starts after the entries this one read.
/// </summary>
internal static class MonitorCommand
{
    public const int AlertExit = 1;
    public const int LogFailedExit = 2;

    public static Command Build()
    {
        var state = new Option<string>("--state") { Description = "Monitor state file (created on first run).", DefaultValueFactory = _ => "mimi-monitor.json" };
        var identifiers = new Option<string[]>("--identifier")
        {
            Description = "An identifier to watch besides those of your own live credentials (repeatable; the authority gives its index only to a holder).",
            AllowMultipleArgumentsPerToken = true,
        };
        var onAlert = new Option<string?>("--on-alert")
        {
            Description = "A shell command run per alert, with MIMI_ALERT_IDENTIFIER, _LOG_INDEX, _TYPE, _TIME, _PROVIDER, _SSI, _SERIAL and _REASON set.",
        };
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON." };
        var concurrency = new Option<int>("--concurrency") { Description = "Entry bundles fetched at once (1–64).", DefaultValueFactory = _ => LogMonitor.DefaultConcurrency };
        var trust = new TrustOptions();
        var command = new Command("monitor", "Monitors the log for credentials issued for your users' identifiers (as a provider): ALERT for any you did not ask for.")
            { state, identifiers, onAlert, json, concurrency };
        trust.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await RunAsync(parse, state, identifiers, onAlert, json, concurrency, trust, ct);
            }
            catch (Exception e) when (e is MimiApiException or HttpRequestException or IOException or JsonException or InvalidDataException or FormatException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return LogFailedExit;
            }
            catch (CliException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return LogFailedExit;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Option<string> state, Option<string[]> identifiers, Option<string?> onAlert, Option<bool> json,
        Option<int> concurrency, TrustOptions trust, CancellationToken ct)
    {
        var client = MimiCommand.Client(parse);
        var statePath = parse.GetValue(state)!;
        var trusted = File.Exists(statePath) ? JsonSerializer.Deserialize<MonitorState>(await File.ReadAllTextAsync(statePath, ct), CliJson.Indented) : null;
        var asJson = parse.GetValue(json);
        var key = parse.GetValue(trust.VerifierKey) ?? trusted?.VerifierKey;
        if (key is null)
        {
            key = await client.GetLogVerifierKeyAsync(ct);
            if (!asJson)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]first pass:[/] trusting the published verifier key {key}; pass --verifier-key to pin it instead.");
            }
        }

        var monitor = new LogMonitor(client, MimiCommand.ClientIdOf(parse), trust.Create(parse, key)) { Concurrency = Math.Clamp(parse.GetValue(concurrency), 1, 64) };
        var report = await monitor.RunAsync(trusted, parse.GetValue(identifiers) ?? [], ct);
        if (report.LogVerified)
        {
            // The log verified, so its state is kept whatever was found; alerts are raised once.
            var temporary = statePath + ".tmp";
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(report.State, CliJson.Indented), ct);
            File.Move(temporary, statePath, overwrite: true);
        }

        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                report.LogVerified,
                Size = report.State?.Size,
                report.Checks,
                Alerts = report.Alerts.Count(),
                report.Findings,
                report.Unwatched,
            }, CliJson.Indented));
        }
        else
        {
            Print(report);
        }

        if (!report.LogVerified)
        {
            return LogFailedExit;
        }

        if (parse.GetValue(onAlert) is { } hook)
        {
            foreach (var alert in report.Alerts)
            {
                await RunHookAsync(hook, alert, ct);
            }
        }

        return report.Alerts.Any() ? AlertExit : 0;
    }

    private static void Print(MonitorReport report)
    {
        foreach (var check in report.Checks)
        {
            AnsiConsole.MarkupLine(check.StartsWith("FAILED", StringComparison.Ordinal) ? $"[red bold]{Markup.Escape(check)}[/]" : $"[green]✓[/] {Markup.Escape(check)}");
        }

        foreach (var refusal in report.Unwatched)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]not watched:[/] {refusal.Identifier} ({refusal.Reason})");
        }

        foreach (var group in report.Findings.GroupBy(f => f.Identifier))
        {
            foreach (var finding in group)
            {
                var where = finding.LogIndex < 0 ? "" : $" entry {finding.LogIndex} ({finding.Type}{(finding.Time is { } t ? " " + LogTime(t) : "")})";
                if (finding.Alert)
                {
                    // Plain text, so that scripts can grep the line start whatever the terminal.
                    Console.WriteLine($"ALERT {finding.Identifier}{where}: {finding.Reason}");
                }
                else
                {
                    AnsiConsole.MarkupLineInterpolated($"[green]expected[/] {finding.Identifier}{where}: {finding.Reason}");
                }
            }
        }

        var alerts = report.Alerts.Count();
        if (report.LogVerified)
        {
            AnsiConsole.MarkupLine(alerts == 0
                ? $"[green]monitor passed[/]: {report.Findings.Count} expected entries, no alert; log size {report.State!.Size}"
                : $"[red bold]{alerts} alert(s)[/]; log size {report.State!.Size}");
        }
        else
        {
            AnsiConsole.MarkupLine("[red bold]the log failed verification[/]; the monitor state was kept as it was.");
        }
    }

    private static string LogTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task RunHookAsync(string hook, MonitorFinding alert, CancellationToken ct)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(hook);
        start.Environment["MIMI_ALERT_IDENTIFIER"] = alert.Identifier;
        start.Environment["MIMI_ALERT_LOG_INDEX"] = alert.LogIndex.ToString(CultureInfo.InvariantCulture);
        start.Environment["MIMI_ALERT_TYPE"] = alert.Type;
        start.Environment["MIMI_ALERT_TIME"] = alert.Time is { } t ? LogTime(t) : "";
        start.Environment["MIMI_ALERT_PROVIDER"] = alert.Provider ?? "";
        start.Environment["MIMI_ALERT_SSI"] = alert.Ssi ?? "";
        start.Environment["MIMI_ALERT_SERIAL"] = alert.Serial ?? "";
        start.Environment["MIMI_ALERT_REASON"] = alert.Reason;
        using var process = Process.Start(start) ?? throw new CliException("--on-alert: could not start /bin/sh.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            AnsiConsole.MarkupLineInterpolated($"[yellow]--on-alert took over a minute for entry {alert.LogIndex}; stopped.[/]");
            return;
        }

        if (process.ExitCode != 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]--on-alert exited {process.ExitCode} for entry {alert.LogIndex}.[/]");
        }
    }
}
