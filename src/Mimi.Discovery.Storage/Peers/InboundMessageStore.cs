using System.Data.Common;

namespace Mimi.Discovery.Storage;

/// <summary>
/// Message ids already processed from each source provider, so a retried delivery is answered 201 and processed once.
/// Handlers record the id in the same transaction as the effect of the message; the purge forgets it after a retention
/// longer than any sender keeps retrying.
/// </summary>
internal static class InboundMessageStore
{
    /// <summary>
    /// Records the id inside the caller's transaction; false when it was already there (the caller then skips the
    /// effect and answers as if it had just processed it).
    /// </summary>
    internal static async Task<bool> TryRecordAsync(DbTransaction tx, string source, string messageId, DateTimeOffset now, CancellationToken ct)
    {
        // A concurrent delivery of the same id is an expected outcome, not an error: PostgreSQL makes this insert wait
        // for the other transaction and then insert nothing, where a look-then-insert raised a unique violation.
        await using var insert = tx.Command("""
            INSERT INTO inbound_messages (source, message_id, received_at) VALUES (@s, @m, @t) ON CONFLICT (source, message_id) DO NOTHING
            """);
        return await insert.With("s", source).With("m", messageId).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct) == 1;
    }
}
