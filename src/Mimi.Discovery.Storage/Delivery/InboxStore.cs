using System.Data.Common;
using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>
/// Local clients' inboxes, numbered per client, and the quarantine that holds a room's items for a client until its
/// user accepts the requester. Rooms deliver inside their own write transactions (<see cref="DeliverAsync"/>).
/// </summary>
public sealed class InboxStore(MimiDatabase database)
{
    internal static async Task DeliverAsync(DbTransaction tx, InboxDelivery d, DateTimeOffset now, CancellationToken ct)
    {
        var (target, requester) = (d.TargetUser, d.RequesterUser);
        if (d.Hold)
        {
            await using var hold = tx.Command("""
                INSERT INTO held_rooms (room_id, client_uri, target_user, requester_user) VALUES (@r, @c, @u, @q) ON CONFLICT (room_id, client_uri) DO NOTHING
                """);
            await hold.With("r", d.RoomId).With("c", d.ClientUri).With("u", target).With("q", requester).ExecuteNonQueryAsync(ct);
        }
        else
        {
            await using var held = tx.Command("SELECT target_user, requester_user FROM held_rooms WHERE room_id = @r AND client_uri = @c");
            await using var reader = await held.With("r", d.RoomId).With("c", d.ClientUri).ExecuteReaderAsync(ct);
            (target, requester) = await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetString(1)) : (null, null);
        }

        if (target is not null && requester is not null)
        {
            await using var quarantine = tx.Command("""
                INSERT INTO quarantine (client_uri, target_user, requester_user, kind, room_id, message, ratchet_tree, frank, accepted_timestamp, created_at)
                VALUES (@c, @u, @q, @k, @r, @m, @rt, @f, @at, @t)
                """);
            await quarantine.With("c", d.ClientUri).With("u", target).With("q", requester).With("k", (long)d.Kind).With("r", d.RoomId).With("m", d.Message)
                .With("rt", d.RatchetTree).With("f", d.Frank).With("at", Stored(d.AcceptedTimestamp)).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
            return;
        }

        await InsertInboxAsync(tx, new Held(d.ClientUri, d.Kind, d.RoomId, d.Message, d.RatchetTree, d.Frank, d.AcceptedTimestamp), now, ct);
    }

    // A hub's timestamp is a uint64; stored as the int64 of the same bits, so any value a hub sends round-trips.
    private static long? Stored(ulong? timestamp) => timestamp is { } t ? unchecked((long)t) : null;

    private static ulong? Timestamp(long? stored) => stored is { } s ? unchecked((ulong)s) : null;

    private static async Task InsertInboxAsync(DbTransaction tx, Held item, DateTimeOffset now, CancellationToken ct)
    {
        // The head's row lock is held until commit: a client's numbers are handed out, and become visible, in order.
        await using var next = tx.Command("""
            INSERT INTO inbox_heads (client_uri, last_seq) VALUES (@c, 1)
            ON CONFLICT (client_uri) DO UPDATE SET last_seq = inbox_heads.last_seq + 1 RETURNING last_seq
            """);
        var seq = Convert.ToInt64(await next.With("c", item.Client).ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        await using var insert = tx.Command("""
            INSERT INTO inbox (client_uri, client_seq, kind, room_id, message, ratchet_tree, frank, accepted_timestamp, created_at)
            VALUES (@c, @s, @k, @r, @m, @rt, @f, @at, @t)
            """);
        await insert.With("c", item.Client).With("s", seq).With("k", (long)item.Kind).With("r", item.Room).With("m", item.Message).With("rt", item.Tree)
            .With("f", item.Frank).With("at", Stored(item.AcceptedTimestamp)).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Releases what quarantine holds for (<paramref name="targetUser"/>, <paramref name="requesterUser"/>) into the
    /// inboxes, in arrival order, and stops holding those rooms. Returns the clients whose inbox grew.
    /// </summary>
    public Task<IReadOnlyList<string>> ReleaseAsync(string targetUser, string requesterUser, DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync<IReadOnlyList<string>>(async tx =>
        {
            var held = new List<Held>();
            await using (var query = tx.Command("""
                SELECT client_uri, kind, room_id, message, ratchet_tree, frank, accepted_timestamp FROM quarantine
                WHERE target_user = @u AND requester_user = @q ORDER BY seq
                """))
            await using (var reader = await query.With("u", targetUser).With("q", requesterUser).ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    held.Add(new Held(reader.GetString(0), (InboxKind)reader.GetInt64(1), reader.GetString(2), reader.GetBytes(3), reader.GetNullableBytes(4),
                        reader.GetNullableBytes(5), Timestamp(reader.GetNullableInt64(6))));
                }
            }

            foreach (var item in held)
            {
                await InsertInboxAsync(tx, item, now, ct);
            }

            await using (var delete = tx.Command("DELETE FROM quarantine WHERE target_user = @u AND requester_user = @q"))
            {
                await delete.With("u", targetUser).With("q", requesterUser).ExecuteNonQueryAsync(ct);
            }

            await using (var unhold = tx.Command("DELETE FROM held_rooms WHERE target_user = @u AND requester_user = @q"))
            {
                await unhold.With("u", targetUser).With("q", requesterUser).ExecuteNonQueryAsync(ct);
            }

            return held.Select(h => h.Client).Distinct(StringComparer.Ordinal).ToList();
        }, ct);

    /// <summary>How many items quarantine holds for a client.</summary>
    public Task<long> CountHeldAsync(string clientUri, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT COUNT(*) FROM quarantine WHERE client_uri = @c");
        return Convert.ToInt64(await query.With("c", clientUri).ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }, ct);

    /// <summary>A client's inbox items after <paramref name="after"/>, oldest first.</summary>
    public Task<IReadOnlyList<InboxItem>> ReadInboxAsync(string clientUri, long after, int limit, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<InboxItem>>(async c =>
        {
            await using var query = c.Command("""
                SELECT client_seq, kind, room_id, message, ratchet_tree, created_at, frank, accepted_timestamp FROM inbox
                WHERE client_uri = @c AND client_seq > @a ORDER BY client_seq LIMIT @l
                """);
            await using var reader = await query.With("c", clientUri).With("a", after).With("l", (long)limit).ExecuteReaderAsync(ct);
            var list = new List<InboxItem>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(new InboxItem(reader.GetInt64(0), (InboxKind)reader.GetInt64(1), reader.GetString(2), reader.GetBytes(3), reader.GetNullableBytes(4),
                    StoredTime.To(reader.GetInt64(5)))
                {
                    Frank = reader.GetNullableBytes(6),
                    AcceptedTimestamp = Timestamp(reader.GetNullableInt64(7)),
                });
            }

            return list;
        }, ct);

    /// <summary>Deletes a client's inbox items up to and including <paramref name="upTo"/>; returns how many.</summary>
    public Task<int> AckAsync(string clientUri, long upTo, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var delete = tx.Command("DELETE FROM inbox WHERE client_uri = @c AND client_seq <= @s");
        return await delete.With("c", clientUri).With("s", upTo).ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>An item on its way into an inbox: delivered now or released from quarantine.</summary>
    private sealed record Held(string Client, InboxKind Kind, string Room, byte[] Message, byte[]? Tree, byte[]? Frank, ulong? AcceptedTimestamp);
}
