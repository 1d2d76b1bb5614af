namespace Mimi.Discovery.Storage;

/// <summary>
/// One-time use of client-assertion <c>jti</c> values (RFC 7523 §3) and of peer request tokens' (key <c>peer:</c> +
/// source domain), shared by every replica; the purge forgets them once expired, when they can no longer be replayed.
/// </summary>
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
}
