using System.Data.Common;

namespace Mimi.Discovery.Storage;

/// <summary>Where an outbox message stands.</summary>
public enum OutboxState
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending = 0,

    /// <summary>Given up: refused permanently by the destination, or too old. Kept for the operator.</summary>
    Failed = 1,
}

/// <summary>
/// A provider-to-provider request waiting to be delivered: the destination provider domain, the MIMI endpoint
/// (its directory-document name, e.g. <c>notify</c>), the value that fills the endpoint's URL template (a room or
/// user URI) and the TLS-encoded body. <see cref="MessageId"/> travels as the <c>Mimi-Message-Id</c> header so the
/// destination processes a retried delivery once.
/// </summary>
public sealed record OutboxMessage(
    long Sequence,
    string MessageId,
    string Destination,
    string Endpoint,
    string Target,
    byte[] Body,
    int Attempts,
    DateTimeOffset CreatedAt);

/// <summary>A message to put in the outbox.</summary>
public sealed record NewOutboxMessage(string MessageId, string Destination, string Endpoint, string Target, byte[] Body);

/// <summary>Counts the operator watches.</summary>
public sealed record OutboxSummary(long Pending, long Failed, DateTimeOffset? OldestPending);

/// <summary>A message the outbox gave up on.</summary>
public sealed record FailedOutboxMessage(string MessageId, string Destination, string Endpoint, string Target, int Attempts, DateTimeOffset CreatedAt, string? LastError);

/// <summary>
/// The durable outbox of provider-to-provider requests (at-least-once delivery). A message is written in the same
/// transaction as the state change that produced it, so an accepted write is never lost. Delivery is in order per
/// destination: only the oldest pending message of a destination is handed out, so a follower sees a commit before
/// the messages of the epoch it starts.
/// </summary>
public sealed class OutboxStore(MimiDatabase database)
{
    /// <summary>Enqueues messages in their own transaction.</summary>
    public Task EnqueueAsync(IReadOnlyList<NewOutboxMessage> messages, DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            await EnqueueAsync(tx, messages, now, ct);
            return 0;
        }, ct);

    /// <summary>Enqueues messages inside a caller's write transaction (other stores use this to stay atomic).</summary>
    internal static async Task EnqueueAsync(DbTransaction tx, IReadOnlyList<NewOutboxMessage> messages, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var m in messages)
        {
            await using var insert = tx.Command("""
                INSERT INTO outbox (message_id, destination, endpoint, target, body, state, attempts, next_attempt_at, created_at)
                VALUES (@id, @d, @e, @t, @b, 0, 0, @n, @n)
                """);
            await insert.With("id", m.MessageId).With("d", m.Destination).With("e", m.Endpoint).With("t", m.Target).With("b", m.Body)
                .With("n", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Hands out up to <paramref name="limit"/> due messages, at most one per destination (the oldest pending one),
    /// and leases them until <paramref name="leaseUntil"/> so another replica does not send them meanwhile.
    /// </summary>
    public Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        database.WriteAsync<IReadOnlyList<OutboxMessage>>(async tx =>
        {
            await using var query = tx.Command($"""
                SELECT o.seq, o.message_id, o.destination, o.endpoint, o.target, o.body, o.attempts, o.created_at FROM outbox o
                WHERE o.state = 0 AND o.next_attempt_at <= @n
                  AND o.seq = (SELECT MIN(h.seq) FROM outbox h WHERE h.destination = o.destination AND h.state = 0)
                ORDER BY o.seq LIMIT @l
                """);
            var list = new List<OutboxMessage>();
            await using (var reader = await query.With("n", StoredTime.From(now)).With("l", (long)limit).ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    list.Add(new OutboxMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                        reader.GetBytes(5), (int)reader.GetInt64(6), StoredTime.To(reader.GetInt64(7))));
                }
            }

            foreach (var m in list)
            {
                await using var lease = tx.Command("UPDATE outbox SET next_attempt_at = @l WHERE seq = @s");
                await lease.With("l", StoredTime.From(leaseUntil)).With("s", m.Sequence).ExecuteNonQueryAsync(ct);
            }

            return list;
        }, ct);

    /// <summary>The destination accepted the message: it leaves the outbox.</summary>
    public Task CompleteAsync(long sequence, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var delete = tx.Command("DELETE FROM outbox WHERE seq = @s");
        return await delete.With("s", sequence).ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>A failed attempt that may succeed later: try again at <paramref name="nextAttempt"/>.</summary>
    public Task RetryLaterAsync(long sequence, DateTimeOffset nextAttempt, string error, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var update = tx.Command("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @n, last_error = @e WHERE seq = @s");
        return await update.With("n", StoredTime.From(nextAttempt)).With("e", Truncate(error)).With("s", sequence).ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>
    /// Gives up on a message (kept as failed for the operator until the purge's retention, counted from
    /// <paramref name="now"/>, runs out); the destination's next message may go.
    /// </summary>
    public Task FailAsync(long sequence, string error, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var update = tx.Command("UPDATE outbox SET state = 1, attempts = attempts + 1, last_error = @e, failed_at = @f WHERE seq = @s");
        return await update.With("e", Truncate(error)).With("f", StoredTime.From(now)).With("s", sequence).ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>Pending and failed counts and the age of the oldest pending message.</summary>
    public Task<OutboxSummary> SummarizeAsync(CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("""
            SELECT (SELECT COUNT(*) FROM outbox WHERE state = 0), (SELECT COUNT(*) FROM outbox WHERE state = 1),
                   (SELECT MIN(created_at) FROM outbox WHERE state = 0)
            """);
        await using var reader = await query.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new OutboxSummary(reader.GetInt64(0), reader.GetInt64(1), StoredTime.To(reader.GetNullableInt64(2)));
    }, ct);

    /// <summary>The most recent failed messages, newest first.</summary>
    public Task<IReadOnlyList<FailedOutboxMessage>> ListFailedAsync(int limit, CancellationToken ct) => database.ReadAsync<IReadOnlyList<FailedOutboxMessage>>(async c =>
    {
        await using var query = c.Command("""
            SELECT message_id, destination, endpoint, target, attempts, created_at, last_error FROM outbox WHERE state = 1 ORDER BY seq DESC LIMIT @l
            """);
        await using var reader = await query.With("l", (long)limit).ExecuteReaderAsync(ct);
        var list = new List<FailedOutboxMessage>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new FailedOutboxMessage(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (int)reader.GetInt64(4),
                StoredTime.To(reader.GetInt64(5)), reader.GetNullableString(6)));
        }

        return list;
    }, ct);

    private static string Truncate(string error) => error.Length <= 500 ? error : error[..500];
}

/// <summary>
/// Message ids already processed from each source provider, so a retried delivery is answered 201 and processed once.
/// Handlers record the id in the same transaction as the effect of the message; the purge forgets it after a retention
/// longer than any sender keeps retrying.
/// </summary>
public sealed class InboundMessageStore(MimiDatabase database)
{
    /// <summary>Whether <paramref name="messageId"/> from <paramref name="source"/> was already processed.</summary>
    public Task<bool> SeenAsync(string source, string messageId, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT 1 FROM inbound_messages WHERE source = @s AND message_id = @m");
        return await query.With("s", source).With("m", messageId).ExecuteScalarAsync(ct) is not null;
    }, ct);

    /// <summary>
    /// Records the id inside the caller's transaction; false when it was already there (the caller then skips the
    /// effect and answers as if it had just processed it).
    /// </summary>
    internal static async Task<bool> TryRecordAsync(DbTransaction tx, string source, string messageId, DateTimeOffset now, CancellationToken ct)
    {
        await using var exists = tx.Command("SELECT 1 FROM inbound_messages WHERE source = @s AND message_id = @m");
        if (await exists.With("s", source).With("m", messageId).ExecuteScalarAsync(ct) is not null)
        {
            return false;
        }

        await using var insert = tx.Command("INSERT INTO inbound_messages (source, message_id, received_at) VALUES (@s, @m, @t)");
        await insert.With("s", source).With("m", messageId).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
        return true;
    }
}
