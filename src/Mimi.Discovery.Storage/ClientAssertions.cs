namespace Mimi.Discovery.Storage;

/// <summary>One-time use of client-assertion <c>jti</c> values (RFC 7523 §3), shared by every replica.</summary>
public sealed class ClientAssertionStore(MimiDatabase database)
{
    /// <summary>Records a jti; false if this client used it before (a replay).</summary>
    public async Task<bool> TryRecordAsync(string clientId, string jti, DateTimeOffset expiresAt, CancellationToken ct)
    {
        try
        {
            await database.WriteAsync(async tx =>
            {
                await using var insert = tx.Command("INSERT INTO client_assertions (client_id, jti, expires_at) VALUES (@c, @j, @e)");
                return await insert.With("c", clientId).With("j", jti).With("e", StoredTime.From(expiresAt)).ExecuteNonQueryAsync(ct);
            }, ct);
            return true;
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.UniqueViolation)
        {
            return false;
        }
    }

    /// <summary>Forgets jti values whose assertions have expired (they can no longer be replayed anyway).</summary>
    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var delete = tx.Command("DELETE FROM client_assertions WHERE expires_at < @n");
        return await delete.With("n", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
    }, ct);
}
