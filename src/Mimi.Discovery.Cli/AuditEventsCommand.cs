using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mimi.Discovery.Client;
using Spectre.Console;

namespace Mimi.Discovery.Cli;

/// <summary>
/// <c>mimi audit-events</c>: the audit trail of administrative acts, newest first, as a table (time, actor, action,
/// target, what changed) or JSON; the operator sees every act, a provider those about itself.
/// </summary>
internal static class AuditEventsCommand
{
    public static Command Build()
    {
        var actor = new Option<string>("--actor") { Description = "Only acts by this client id (operator id, provider domain)." };
        var target = new Option<string>("--target") { Description = "Only acts on this target, e.g. provider:example.com or credential:SERIAL." };
        var action = new Option<string>("--action") { Description = "Only acts of this action, e.g. provider.suspend." };
        var since = new Option<string>("--since") { Description = "Only acts at or after this time (RFC 3339, e.g. 2026-12-07T20:00:00Z)." };
        var until = new Option<string>("--until") { Description = "Only acts at or before this time (RFC 3339)." };
        var limit = new Option<int?>("--limit") { Description = "Events per page, 1 to 500 (100 by default)." };
        var all = new Option<bool>("--all") { Description = "Follow the pages to the oldest event instead of printing one page." };
        var json = new Option<bool>("--json") { Description = "Print the events as JSON ({events, next})." };
        var command = new Command("audit-events", "The audit trail of administrative acts, newest first (operator: all; provider: its own).")
            { actor, target, action, since, until, limit, all, json };
        command.SetAction((parse, ct) => MimiCommand.RunAsync(async () =>
        {
            var filter = new AuditEventFilter(parse.GetValue(actor), parse.GetValue(target), parse.GetValue(action), Time(parse.GetValue(since), "--since"),
                Time(parse.GetValue(until), "--until"), parse.GetValue(limit));
            var client = MimiCommand.Client(parse);
            AuditEventsPage page;
            if (parse.GetValue(all))
            {
                var events = new List<AuditEventInfo>();
                await foreach (var e in client.ListAuditEventsAsync(filter, ct))
                {
                    events.Add(e);
                }

                page = new AuditEventsPage([.. events], null);
            }
            else
            {
                page = await client.GetAuditEventsAsync(filter, null, ct);
            }

            Print(page, parse.GetValue(json));
        }));
        return command;
    }

    private static DateTimeOffset? Time(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw new CliException($"{option} must be a date-time such as 2026-12-07T20:00:00Z (got '{text}').");

    private static void Print(AuditEventsPage page, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(page, CliJson.Indented));
            return;
        }

        var table = new Table().AddColumns("time", "actor", "action", "target", "change");
        foreach (var e in page.Events)
        {
            table.AddRow(e.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), Markup.Escape($"{e.Actor.Id} ({e.Actor.Role})"),
                Markup.Escape(e.Action), Markup.Escape(e.Target), Markup.Escape(Change(e.Before, e.After)));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{page.Events.Length} event(s){(page.Next is { } next ? $"; more with --all (next page after {next})" : "")}");
    }

    /// <summary>
    /// What changed, in one line: each field that differs as <c>field: before → after</c>; a created target as
    /// <c>+ field=value …</c>, a removed one as <c>- field=value …</c>.
    /// </summary>
    internal static string Change(JsonElement? before, JsonElement? after)
    {
        if (before is not { ValueKind: JsonValueKind.Object } b)
        {
            return after is { ValueKind: JsonValueKind.Object } created ? "+ " + Fields(created) : "";
        }

        if (after is not { ValueKind: JsonValueKind.Object } a)
        {
            return "- " + Fields(b);
        }

        var changes = new List<string>();
        foreach (var field in a.EnumerateObject())
        {
            var old = b.TryGetProperty(field.Name, out var value) ? Text(value) : "–";
            if (old != Text(field.Value))
            {
                changes.Add($"{field.Name}: {old} → {Text(field.Value)}");
            }
        }

        return changes.Count == 0 ? "(unchanged)" : string.Join("; ", changes);
    }

    private static string Fields(JsonElement e) => string.Join(" ", e.EnumerateObject().Select(f => $"{f.Name}={Text(f.Value)}"));

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "{" + Fields(value) + "}",
        JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(Text)) + "]",
        _ => value.GetRawText(),
    };
}
