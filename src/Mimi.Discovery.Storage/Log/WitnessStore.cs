using System.Data.Common;

namespace Mimi.Discovery.Storage;

/// <summary>
/// What the log's witnesses said: the checkpoints sent to them (size and log-signed note), the cosignatures they
/// returned (size, witness verifier key, line), and per witness the largest size it cosigned, which is the <c>old</c>
/// size of the next request to it. Witnesses are named by their full verifier key, so a replaced key starts afresh.
/// </summary>
public sealed class WitnessStore(MimiDatabase database)
{
    /// <summary>Records a checkpoint about to be sent (once per size; the note of a size never changes).</summary>
    public Task SaveCheckpointAsync(long size, string note, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            await using var insert = tx.Command("INSERT INTO log_checkpoints (size, note, created_at) VALUES (@s, @n, @t) ON CONFLICT (size) DO NOTHING");
            return await insert.With("s", size).With("n", note).With("t", StoredTime.From(DateTimeOffset.UtcNow)).ExecuteNonQueryAsync(ct);
        }, ct);

    /// <summary>The largest size <paramref name="witnessKey"/> cosigned, or null when it never did.</summary>
    public Task<long?> GetCosignedSizeAsync(string witnessKey, CancellationToken ct) =>
        database.ReadAsync(async c =>
        {
            await using var query = c.Command("SELECT cosigned_size FROM log_witnesses WHERE witness_key = @w");
            return await query.With("w", witnessKey).ExecuteScalarAsync(ct) is long size ? size : (long?)null;
        }, ct);

    /// <summary>
    /// Stores a verified cosignature of the checkpoint of <paramref name="size"/> and moves the witness's cosigned size up
    /// to it (never down: another replica may have had a larger one cosigned meanwhile).
    /// </summary>
    public Task SaveCosignatureAsync(string witnessKey, long size, string line, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            var now = StoredTime.From(DateTimeOffset.UtcNow);
            await using (var insert = tx.Command("""
                INSERT INTO log_cosignatures (size, witness_key, line, created_at) VALUES (@s, @w, @l, @t)
                ON CONFLICT (size, witness_key) DO NOTHING
                """))
            {
                await insert.With("s", size).With("w", witnessKey).With("l", line).With("t", now).ExecuteNonQueryAsync(ct);
            }

            await using var upsert = tx.Command("""
                INSERT INTO log_witnesses (witness_key, cosigned_size, updated_at) VALUES (@w, @s, @t)
                ON CONFLICT (witness_key) DO UPDATE SET cosigned_size = excluded.cosigned_size, updated_at = excluded.updated_at
                WHERE log_witnesses.cosigned_size < excluded.cosigned_size
                """);
            return await upsert.With("w", witnessKey).With("s", size).With("t", now).ExecuteNonQueryAsync(ct);
        }, ct);

    /// <summary>
    /// The newest checkpoint sent that carries cosignatures from at least <paramref name="quorum"/> of
    /// <paramref name="witnessKeys"/>, with those witnesses' lines; null when none has reached it.
    /// </summary>
    public Task<CosignedCheckpoint?> GetNewestCosignedAsync(IReadOnlyList<string> witnessKeys, int quorum, CancellationToken ct) =>
        database.ReadAsync(async c =>
        {
            var keys = string.Join(", ", witnessKeys.Select((_, i) => "@w" + i));
            long size;
            string note;
            await using (var query = c.Command(witnessKeys.Count == 0
                ? "SELECT size, note FROM log_checkpoints WHERE @q <= 0 ORDER BY size DESC LIMIT 1"
                : $"""
                  SELECT size, note FROM log_checkpoints c
                  WHERE (SELECT COUNT(*) FROM log_cosignatures s WHERE s.size = c.size AND s.witness_key IN ({keys})) >= @q
                  ORDER BY size DESC LIMIT 1
                  """))
            {
                With(query, witnessKeys).With("q", (long)quorum);
                await using var reader = await query.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return null;
                }

                size = reader.GetInt64(0);
                note = reader.GetString(1);
            }

            return new CosignedCheckpoint(size, note, witnessKeys.Count == 0 ? [] : await ReadLinesAsync(c, size, keys, witnessKeys, ct));
        }, ct);

    /// <summary>
    /// Where witnessing stands for the gauges: the newest checkpoint sent and which of <paramref name="witnessKeys"/>
    /// cosigned it, and when each of them last returned a cosignature.
    /// </summary>
    public Task<WitnessStatus> GetStatusAsync(IReadOnlyList<string> witnessKeys, CancellationToken ct) =>
        database.ReadAsync(async c =>
        {
            long? newest;
            await using (var query = c.Command("SELECT MAX(size) FROM log_checkpoints"))
            {
                newest = await query.ExecuteScalarAsync(ct) is long size ? size : null;
            }

            var cosigners = new HashSet<string>(StringComparer.Ordinal);
            var lastCosigned = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            if (witnessKeys.Count == 0)
            {
                return new WitnessStatus(newest, cosigners, lastCosigned);
            }

            var keys = string.Join(", ", witnessKeys.Select((_, i) => "@w" + i));
            await using (var query = c.Command($"""
                SELECT witness_key, MAX(created_at), MAX(CASE WHEN size = @n THEN 1 ELSE 0 END) FROM log_cosignatures
                WHERE witness_key IN ({keys}) GROUP BY witness_key
                """))
            {
                await using var reader = await With(query, witnessKeys).With("n", newest ?? -1).ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    lastCosigned[reader.GetString(0)] = StoredTime.To(reader.GetInt64(1));
                    if (Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture) == 1)
                    {
                        cosigners.Add(reader.GetString(0));
                    }
                }
            }

            return new WitnessStatus(newest, cosigners, lastCosigned);
        }, ct);

    private static async Task<IReadOnlyList<string>> ReadLinesAsync(DbConnection connection, long size, string keys, IReadOnlyList<string> witnessKeys,
        CancellationToken ct)
    {
        await using var query = connection.Command($"SELECT line FROM log_cosignatures WHERE size = @s AND witness_key IN ({keys}) ORDER BY witness_key");
        await using var reader = await With(query, witnessKeys).With("s", size).ExecuteReaderAsync(ct);
        var lines = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    private static DbCommand With(DbCommand command, IReadOnlyList<string> witnessKeys)
    {
        for (var i = 0; i < witnessKeys.Count; i++)
        {
            command.With("w" + i, witnessKeys[i]);
        }

        return command;
    }
}
