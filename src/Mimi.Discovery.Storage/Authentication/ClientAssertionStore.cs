namespace Mimi.Discovery.Storage;

/// <summary>
/// One-time use of client-assertion <c>jti</c> values (RFC 7523 §3) and of peer request tokens' (key <c>peer:</c> +
/// source domain), shared by every replica; the purge forgets them once expired, when they can no longer be replayed.
/// </summary>
public sealed class ClientAssertionStore(MimiDatabase database)
{
    /// <summary>Records a jti; false if this client used it before (a replay).</summary>
    public Task<bool> TryRecordAsync(string clientId, string jti, DateTimeOffset expiresAt, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var insert = tx.Command("""
            INSERT INTO client_assertions (client_id, jti, expires_at) VALUES (@c, @j, @e) ON CONFLICT (client_id, jti) DO NOTHING
            """);
        return await insert.With("c", clientId).With("j", jti).With("e", StoredTime.From(expiresAt)).ExecuteNonQueryAsync(ct) == 1;
    }, ct);
}
