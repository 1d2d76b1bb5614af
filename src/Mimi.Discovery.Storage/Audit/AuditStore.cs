using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mimi.Discovery.Storage;

/// <summary>
/// The audit trail: an append-only record of every administrative act, written in the transaction of the act itself,
/// so an act that fails leaves no record and an act that commits cannot lose its own. Nothing here updates or deletes.
/// </summary>
public sealed class AuditStore(MimiDatabase database)
{
    private const string Columns = "id, time, actor_id, actor_role, request_id, action, target, owner, before_json, after_json";

    /// <summary>Records <paramref name="e"/> inside <paramref name="tx"/>, the transaction of the act it describes.</summary>
    public static async Task AppendAsync(DbTransaction tx, AuditActor actor, AuditEvent e, DateTimeOffset time, CancellationToken ct)
    {
        await using var insert = tx.Command("""
            INSERT INTO audit_events (time, actor_id, actor_role, request_id, action, target, owner, before_json, after_json)
            VALUES (@t, @ai, @ar, @rq, @a, @tg, @o, @b, @af)
            """);
        await insert.With("t", StoredTime.From(time)).With("ai", actor.Id).With("ar", actor.Role).With("rq", actor.RequestId)
            .With("a", e.Action).With("tg", e.Target).With("o", e.Owner).With("b", e.Before?.GetRawText()).With("af", e.After?.GetRawText())
            .ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Records an act that is not a database write of its own (a key file rotated), in a transaction of its own,
    /// right after the act.
    /// </summary>
    public Task RecordAsync(AuditActor actor, AuditEvent e, DateTimeOffset time, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            await AppendAsync(tx, actor, e, time, ct);
            return true;
        }, ct);

    /// <summary>The records <paramref name="query"/> selects, newest first, one page at a time.</summary>
    public Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken ct) => database.ReadAsync(async c =>
    {
        var limit = Math.Clamp(query.Limit, 1, AuditQuery.MaxLimit);
        await using var command = c.Command("");
        var where = new StringBuilder();
        void Filter(string condition, string name, object? value)
        {
            if (value is not null)
            {
                where.Append(where.Length == 0 ? " WHERE " : " AND ").Append(condition);
                command.With(name, value);
            }
        }

        Filter("actor_id = @actor", "actor", query.Actor);
        Filter("target = @target", "target", query.Target);
        Filter("action = @action", "action", query.Action);
        Filter("owner = @owner", "owner", query.Owner);
        Filter("time >= @since", "since", query.Since is { } since ? StoredTime.From(since) : null);
        Filter("time <= @until", "until", query.Until is { } until ? StoredTime.From(until) : null);
        Filter("id < @before", "before", query.Before);
        // One more than the page, to know whether another page follows.
        command.CommandText = $"SELECT {Columns} FROM audit_events{where} ORDER BY id DESC LIMIT "
                              + (limit + 1).ToString(CultureInfo.InvariantCulture);

        var events = new List<AuditEventRecord>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(new AuditEventRecord(reader.GetInt64(0), StoredTime.To(reader.GetInt64(1)),
                new AuditActor(reader.GetString(2), reader.GetString(3), reader.GetNullableString(4)),
                new AuditEvent(reader.GetString(5), reader.GetString(6), reader.GetNullableString(7), Json(reader.GetNullableString(8)),
                    Json(reader.GetNullableString(9)))));
        }

        return events.Count > limit ? new AuditPage(events[..limit], events[limit - 1].Id) : new AuditPage(events, null);
    }, ct);

    private static JsonElement? Json(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
