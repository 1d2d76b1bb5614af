using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary><c>mimi console</c>, <c>traffic</c>, <c>issuances</c>, <c>quotas</c> and <c>log-state</c>: the operator's views of the running service.</summary>
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

    public static Command Issuances()
    {
        var revoked = new Option<bool>("--revoked") { Description = "The newest revocations instead of the newest issuances." };
        var limit = new Option<int>("--limit") { Description = "How many, 1 to 500.", DefaultValueFactory = _ => 50 };
        var command = new Command("issuances", "The newest credentials (or revocations) of every provider (operator).") { revoked, limit };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var client = MimiCommand.Client(parse);
            var entries = parse.GetValue(revoked)
                ? await client.ListRecentRevocationsAsync(parse.GetValue(limit), ct)
                : await client.ListRecentIssuancesAsync(parse.GetValue(limit), ct);
            var table = new Table().AddColumns("serial", "provider", "attestation", "issued", "log index", "revoked", "reason");
            foreach (var e in entries)
            {
                table.AddRow(Markup.Escape(e.Serial), Markup.Escape(e.Provider), Markup.Escape(e.Attestation), e.IssuedAt.ToString("u", CultureInfo.InvariantCulture),
                    e.LogIndex.ToString(CultureInfo.InvariantCulture), e.RevokedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "", Markup.Escape(e.RevocationReason ?? ""));
            }

            AnsiConsole.Write(table);
        }));
        return command;
    }

    public static Command Quotas()
    {
        var command = new Command("quotas", "Each provider's owner quotas as they apply: its own or the defaults (operator).");
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var table = new Table().AddColumns("owner", "set by", "lookups / requester", "lookups total", "claims / requester", "claims total", "window");
            foreach (var q in await MimiCommand.Client(parse).ListOwnerQuotasAsync(ct))
            {
                table.AddRow(Markup.Escape(q.Owner), q.Custom ? "owner" : "default", Limit(q.LookupsPerRequester), Limit(q.LookupsTotal),
                    Limit(q.ClaimsPerRequester), Limit(q.ClaimsTotal), q.WindowSeconds.ToString(CultureInfo.InvariantCulture) + " s");
            }

            AnsiConsole.Write(table);
        }));
        return command;
    }

    public static Command LogState()
    {
        var command = new Command("log-state", "The log's size, served checkpoint, witnesses and last self-audit (operator).");
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var state = await MimiCommand.Client(parse).GetLogStateAsync(ct);
            AnsiConsole.MarkupLineInterpolated($"size {state.Size}, checkpoint at {state.CheckpointSize?.ToString(CultureInfo.InvariantCulture) ?? "–"}, root {state.Root}");
            AnsiConsole.MarkupLine(state.SelfAudit is { } pass
                ? $"self-audit: {pass.CompletedAt:u} over {pass.Size} entries, {(pass.Findings == 0 ? "[green]no finding[/]" : $"[red]{pass.Findings} findings[/]")}"
                : "self-audit: no complete pass yet on this instance");
            if (state.Witnesses.Length > 0)
            {
                var table = new Table().AddColumns("witness", "cosigned size", "last cosigned", "cosigned newest");
                foreach (var w in state.Witnesses)
                {
                    table.AddRow(Markup.Escape(w.Name), w.CosignedSize?.ToString(CultureInfo.InvariantCulture) ?? "–",
                        w.LastCosignedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never", w.CosignedNewest ? "yes" : "[red]no[/]");
                }

                AnsiConsole.MarkupLineInterpolated($"witnesses (quorum {state.Quorum}):");
                AnsiConsole.Write(table);
            }
        }));
        return command;
    }

    private static string Limit(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
