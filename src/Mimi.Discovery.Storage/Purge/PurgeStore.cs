namespace Mimi.Discovery.Storage;

/// <summary>
/// Deletes what can no longer matter, in bounded batches: each call is one short transaction deleting at most
/// <c>limit</c> rows, so a large backlog never holds a long lock (the caller repeats while batches come back full).
/// The same statement runs on SQLite and PostgreSQL: rows are picked by key through an index on the time column.
/// </summary>
public sealed class PurgeStore(MimiDatabase database)
{
    private static readonly string[] Statements = Enum.GetValues<PurgeTarget>().Select(Statement).ToArray();

    /// <summary>Deletes up to <paramref name="limit"/> rows of <paramref name="target"/> whose time is before <paramref name="before"/>; returns how many.</summary>
    public Task<int> DeleteBatchAsync(PurgeTarget target, DateTimeOffset before, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return database.WriteAsync(async tx =>
        {
            await using var delete = tx.Command(Statements[(int)target]);
            return await delete.With("t", StoredTime.From(before)).With("l", (long)limit).ExecuteNonQueryAsync(ct);
        }, ct);
    }

    private static string Statement(PurgeTarget target) => target switch
    {
        PurgeTarget.ExpiredKeyPackages => Batch("key_packages", "kp_ref", "not_after < @t"),
        PurgeTarget.KeyPackageClaims => Batch("key_package_claims", "kp_ref, requester_user, room_id", "claimed_at < @t"),
        PurgeTarget.SentMessages => Batch("sent_messages", "hash", "created_at < @t"),
        PurgeTarget.InboundMessages => Batch("inbound_messages", "source, message_id", "received_at < @t"),
        PurgeTarget.ClientAssertions => Batch("client_assertions", "client_id, jti", "expires_at < @t"),
        PurgeTarget.Challenges => Batch("challenges", "id", "expires_at < @t"),
        PurgeTarget.FailedOutboxMessages => Batch("outbox", "seq", "state = 1 AND failed_at < @t"),
        PurgeTarget.GroupInfoGrants => Batch("group_info_grants", "room_id, client_uri", "expires_at < @t"),
        PurgeTarget.ImportProgress => Batch("import_progress", "provider, import_id", "updated_at < @t"),
        PurgeTarget.ConsoleSignInLinks => Batch("console_sign_in_links", "token_hash", "expires_at < @t"),
        PurgeTarget.ConsoleSessions => Batch("console_sessions", "id_hash", "expires_at < @t"),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
    };

    // Neither database has a portable DELETE … LIMIT; a (row-value) key IN a limited sub-select is both's.
    private static string Batch(string table, string key, string condition) =>
        $"DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} WHERE {condition} LIMIT @l)";
}
