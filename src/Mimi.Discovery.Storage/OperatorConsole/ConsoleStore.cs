namespace Mimi.Discovery.Storage;

/// <summary>
/// The operator console's one-time sign-in links and the sessions they open. Only SHA-256 hashes of the random tokens
/// are stored: the database alone opens no session. Every replica reads the same rows, so a link works once across all
/// of them and a sign-out ends the session everywhere.
/// </summary>
public sealed class ConsoleStore(MimiDatabase database)
{
    /// <summary>Records a sign-in link for <paramref name="operatorId"/>, usable once until <paramref name="expiresAt"/>.</summary>
    public Task CreateSignInLinkAsync(byte[] tokenHash, string operatorId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            await using var insert = tx.Command("""
                INSERT INTO console_sign_in_links (token_hash, operator_id, created_at, expires_at) VALUES (@h, @o, @c, @e)
                """);
            return await insert.With("h", tokenHash).With("o", operatorId).With("c", StoredTime.From(now)).With("e", StoredTime.From(expiresAt))
                .ExecuteNonQueryAsync(ct);
        }, ct);

    /// <summary>
    /// Uses the sign-in link <paramref name="linkHash"/> and opens a session <paramref name="sessionHash"/> for its
    /// operator, recording <c>console.sign-in</c> by that operator (in <paramref name="actorRole"/>, for request
    /// <paramref name="requestId"/>) on target <c>console-session:</c><paramref name="sessionName"/>, all in one
    /// transaction. Null when the link is unknown, used or expired: nothing is written then.
    /// </summary>
    public Task<ConsoleSessionRecord?> SignInAsync(byte[] linkHash, byte[] sessionHash, string sessionName, DateTimeOffset now, TimeSpan lifetime,
        string actorRole, string? requestId, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            await using var use = tx.Command("""
                UPDATE console_sign_in_links SET used_at = @n WHERE token_hash = @h AND used_at IS NULL AND expires_at > @n RETURNING operator_id
                """);
            if (await use.With("h", linkHash).With("n", StoredTime.From(now)).ExecuteScalarAsync(ct) is not string operatorId)
            {
                return null;
            }

            var session = new ConsoleSessionRecord(operatorId, now, now + lifetime);
            await using var open = tx.Command("""
                INSERT INTO console_sessions (id_hash, operator_id, created_at, expires_at) VALUES (@h, @o, @c, @e)
                """);
            await open.With("h", sessionHash).With("o", operatorId).With("c", StoredTime.From(now)).With("e", StoredTime.From(session.ExpiresAt))
                .ExecuteNonQueryAsync(ct);
            await AuditStore.AppendAsync(tx, new AuditActor(operatorId, actorRole, requestId),
                new AuditEvent(AuditActions.ConsoleSignIn, AuditTargets.ConsoleSession(sessionName), null, null, Expiry(session)), now, ct);
            return session;
        }, ct);

    /// <summary>The session <paramref name="sessionHash"/> if it is open at <paramref name="now"/> (not ended, not expired).</summary>
    public Task<ConsoleSessionRecord?> FindSessionAsync(byte[] sessionHash, DateTimeOffset now, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("""
            SELECT operator_id, created_at, expires_at FROM console_sessions WHERE id_hash = @h AND ended_at IS NULL AND expires_at > @n
            """);
        await using var reader = await query.With("h", sessionHash).With("n", StoredTime.From(now)).ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new ConsoleSessionRecord(reader.GetString(0), StoredTime.To(reader.GetInt64(1)), StoredTime.To(reader.GetInt64(2)))
            : null;
    }, ct);

    /// <summary>
    /// Ends the open session <paramref name="sessionHash"/>, recording <c>console.sign-out</c> by
    /// <paramref name="actor"/> on target <c>console-session:</c><paramref name="sessionName"/> in the same transaction.
    /// False, and nothing written, when it was not open.
    /// </summary>
    public Task<bool> EndSessionAsync(byte[] sessionHash, string sessionName, DateTimeOffset now, AuditActor actor, CancellationToken ct) =>
        database.WriteAsync(async tx =>
    {
        await using var end = tx.Command("""
            UPDATE console_sessions SET ended_at = @n WHERE id_hash = @h AND ended_at IS NULL AND expires_at > @n
            RETURNING operator_id, created_at, expires_at
            """);
        ConsoleSessionRecord? session;
        await using (var reader = await end.With("h", sessionHash).With("n", StoredTime.From(now)).ExecuteReaderAsync(ct))
        {
            session = await reader.ReadAsync(ct)
                ? new ConsoleSessionRecord(reader.GetString(0), StoredTime.To(reader.GetInt64(1)), StoredTime.To(reader.GetInt64(2)))
                : null;
        }

        if (session is null)
        {
            return false;
        }

        await AuditStore.AppendAsync(tx, actor,
            new AuditEvent(AuditActions.ConsoleSignOut, AuditTargets.ConsoleSession(sessionName), null, Expiry(session), null), now, ct);
        return true;
    }, ct);

    // What the trail says of a session: when it ends (ended early, on sign-out). Never its token or hash.
    private static System.Text.Json.JsonElement Expiry(ConsoleSessionRecord session) =>
        AuditChange.Of(("expires", session.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
}
