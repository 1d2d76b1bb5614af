using System.Data.Common;

namespace Mimi.Discovery.Storage;

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

    /// <summary>
    /// Pending messages per destination and the creation time of each destination's oldest, for at most
    /// <paramref name="limit"/> destinations (those with the most pending first).
    /// </summary>
    public Task<IReadOnlyList<OutboxDestinationSummary>> SummarizeByDestinationAsync(int limit, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<OutboxDestinationSummary>>(async c =>
        {
            await using var query = c.Command("""
                SELECT destination, COUNT(*), MIN(created_at) FROM outbox WHERE state = 0 GROUP BY destination ORDER BY COUNT(*) DESC, destination LIMIT @l
                """);
            await using var reader = await query.With("l", (long)limit).ExecuteReaderAsync(ct);
            var list = new List<OutboxDestinationSummary>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(new OutboxDestinationSummary(reader.GetString(0), reader.GetInt64(1), StoredTime.To(reader.GetInt64(2))));
            }

            return list;
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
