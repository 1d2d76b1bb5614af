namespace Mimi.Discovery.Storage;

/// <summary>Proof-of-control challenges.</summary>
public sealed class ChallengeStore(MimiDatabase database)
{
    /// <summary>Stores a new challenge.</summary>
    public Task InsertAsync(ChallengeRecord challenge, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var insert = tx.Command("""
            INSERT INTO challenges (id, provider, sii, ssi, code_hash, created_at, expires_at, attempts, state)
            VALUES (@id, @p, @sii, @ssi, @h, @c, @e, @a, @s)
            """);
        return await insert.With("id", challenge.Id).With("p", challenge.Provider).With("sii", challenge.Sii).With("ssi", challenge.Ssi)
            .With("h", challenge.CodeHash).With("c", StoredTime.From(challenge.CreatedAt)).With("e", StoredTime.From(challenge.ExpiresAt))
            .With("a", (long)challenge.Attempts).With("s", (long)challenge.State).ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>Removes a challenge whose code could not be delivered, so it does not count against the sender.</summary>
    public Task DeleteAsync(string id, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var delete = tx.Command("DELETE FROM challenges WHERE id = @id");
        return await delete.With("id", id).ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>How many challenges were created since <paramref name="since"/> for an identifier and by a provider.</summary>
    public Task<(int ForIdentifier, int ByProvider)> CountSinceAsync(string sii, string provider, DateTimeOffset since, CancellationToken ct) =>
        database.ReadAsync(async c =>
        {
            await using var query = c.Command("""
                SELECT (SELECT count(*) FROM challenges WHERE sii = @sii AND created_at >= @t),
                       (SELECT count(*) FROM challenges WHERE provider = @p AND created_at >= @t)
                """);
            await using var reader = await query.With("sii", sii).With("p", provider).With("t", StoredTime.From(since)).ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
        }, ct);

    /// <summary>
    /// Counts one attempt against a pending challenge and returns it as it stands after the count, or null when
    /// the challenge is unknown, used, or out of attempts. Counting before comparing bounds guesses strictly, even
    /// when many arrive at once.
    /// </summary>
    public Task<ChallengeRecord?> BeginAttemptAsync(string id, int maxAttempts, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var update = tx.Command("""
            UPDATE challenges SET attempts = attempts + 1
            WHERE id = @id AND state = 0 AND attempts < @max
            RETURNING id, provider, sii, ssi, code_hash, created_at, expires_at, attempts, state
            """);
        await using var reader = await update.With("id", id).With("max", (long)maxAttempts).ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new ChallengeRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBytes(4),
            StoredTime.To(reader.GetInt64(5)), StoredTime.To(reader.GetInt64(6)), (int)reader.GetInt64(7), (ChallengeState)reader.GetInt64(8));
    }, ct);

    /// <summary>Marks a pending challenge used, verified at <paramref name="at"/>; false if another request used it first.</summary>
    public Task<bool> ConsumeAsync(string id, DateTimeOffset at, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var update = tx.Command("UPDATE challenges SET state = 1, verified_at = @t WHERE id = @id AND state = 0");
        return await update.With("t", StoredTime.From(at)).With("id", id).ExecuteNonQueryAsync(ct) == 1;
    }, ct);

    /// <summary>Which of <paramref name="siis"/> <paramref name="provider"/> proved control of (a challenge verified) since <paramref name="since"/>.</summary>
    public Task<IReadOnlySet<string>> ListProvenSinceAsync(string provider, IReadOnlyCollection<string> siis, DateTimeOffset since, CancellationToken ct) =>
        siis.Count == 0 ? Task.FromResult<IReadOnlySet<string>>(new HashSet<string>()) : database.ReadAsync<IReadOnlySet<string>>(async c =>
        {
            await using var query = c.Command("");
            query.CommandText = $"SELECT DISTINCT sii FROM challenges WHERE sii IN ({CredentialStore.Parameters(query, "s", siis)}) AND provider = @p " +
                                "AND state = 1 AND verified_at >= @t";
            await using var reader = await query.With("p", provider).With("t", StoredTime.From(since)).ExecuteReaderAsync(ct);
            var proven = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                proven.Add(reader.GetString(0));
            }

            return proven;
        }, ct);
}
