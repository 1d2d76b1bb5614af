using System.Globalization;

namespace Mimi.Discovery.Storage;

/// <summary>Private-lookup records, one per mapping and OPRF key, found by bucket (a short prefix of the lookup tag).</summary>
public sealed class PrivateRecordStore(MimiDatabase database)
{
    private static readonly string QualifiedColumns =
        string.Join(", ", CredentialStore.Columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => "c." + c));

    /// <summary>Inserts records, replacing any already stored for the same key and serial.</summary>
    public Task UpsertAsync(IReadOnlyList<PrivateRecord> records, CancellationToken ct)
    {
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(async tx =>
        {
            const int Width = 5;
            foreach (var chunk in records.Chunk(MultiRow.ChunkSize))
            {
                await using var insert = tx.Command("INSERT INTO private_records (key_id, serial, bucket, tag, ciphertext) VALUES "
                    + MultiRow.Values(chunk.Length, Width)
                    + " ON CONFLICT (key_id, serial) DO UPDATE SET bucket = excluded.bucket, tag = excluded.tag, ciphertext = excluded.ciphertext");
                for (var r = 0; r < chunk.Length; r++)
                {
                    var p = chunk[r];
                    insert.With($"p{r}_0", p.KeyId).With($"p{r}_1", p.Serial).With($"p{r}_2", p.Bucket).With($"p{r}_3", p.Tag).With($"p{r}_4", p.Ciphertext);
                }

                await insert.ExecuteNonQueryAsync(ct);
            }

            return true;
        }, ct);
    }

    /// <summary>
    /// The records of one bucket under one key whose mappings may still be returned: not revoked, not removed, not
    /// expired. Visibility to a particular requester is decided by the caller.
    /// </summary>
    public Task<IReadOnlyList<PrivateRecordWithMapping>> ListActiveInBucketAsync(string keyId, long bucket, DateTimeOffset now, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<PrivateRecordWithMapping>>(async c =>
        {
            await using var query = c.Command($"""
                SELECT {QualifiedColumns}, p.tag, p.ciphertext FROM private_records p JOIN credentials c ON c.serial = p.serial
                WHERE p.key_id = @k AND p.bucket = @b AND c.revoked_at IS NULL AND c.removed_at IS NULL AND c.not_after > @now
                """);
            await using var reader = await query.With("k", keyId).With("b", bucket).With("now", StoredTime.From(now)).ExecuteReaderAsync(ct);
            var list = new List<PrivateRecordWithMapping>();
            var tag = reader.FieldCount - 2;
            while (await reader.ReadAsync(ct))
            {
                list.Add(new PrivateRecordWithMapping(CredentialStore.Read(reader), reader.GetBytes(tag), reader.GetBytes(tag + 1)));
            }

            return list;
        }, ct);

    /// <summary>
    /// A page of the mappings that need a record (not revoked, not removed, not expired), in serial order after
    /// <paramref name="afterSerial"/>; for rebuilding every record under a new key.
    /// </summary>
    public Task<IReadOnlyList<CredentialRecord>> ListActiveMappingsAsync(string afterSerial, int limit, DateTimeOffset now, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<CredentialRecord>>(async c =>
        {
            await using var query = c.Command($"""
                SELECT {CredentialStore.Columns} FROM credentials
                WHERE serial > @after AND revoked_at IS NULL AND removed_at IS NULL AND not_after > @now ORDER BY serial LIMIT @limit
                """);
            await using var reader = await query.With("after", afterSerial).With("now", StoredTime.From(now)).With("limit", (long)limit).ExecuteReaderAsync(ct);
            var list = new List<CredentialRecord>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(CredentialStore.Read(reader));
            }

            return list;
        }, ct);

    /// <summary>
    /// Mappings that need a record under <paramref name="keyId"/> and have none: those issued outside the issuance
    /// path (bulk import) or whose record could not be stored. Inserting their records shrinks the next answer.
    /// </summary>
    public Task<IReadOnlyList<CredentialRecord>> ListWithoutRecordAsync(string keyId, long afterLogIndex, int limit, DateTimeOffset now, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<CredentialRecord>>(async c =>
        {
            // In log order from a watermark: a pass after an issuance reads only what is new, not the whole table.
            await using var query = c.Command($"""
                SELECT {QualifiedColumns} FROM credentials c LEFT JOIN private_records p ON p.key_id = @k AND p.serial = c.serial
                WHERE c.log_index > @after AND p.serial IS NULL AND c.revoked_at IS NULL AND c.removed_at IS NULL AND c.not_after > @now
                ORDER BY c.log_index LIMIT @limit
                """);
            await using var reader = await query.With("k", keyId).With("after", afterLogIndex).With("now", StoredTime.From(now)).With("limit", (long)limit)
                .ExecuteReaderAsync(ct);
            var list = new List<CredentialRecord>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(CredentialStore.Read(reader));
            }

            return list;
        }, ct);

    /// <summary>Deletes every record except those under the given keys (after a rotation retires a key); returns how many.</summary>
    public Task<int> DeleteOtherKeysAsync(IReadOnlyList<string> keep, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        var names = string.Join(", ", keep.Select((_, i) => "@k" + i.ToString(CultureInfo.InvariantCulture)));
        await using var delete = tx.Command(keep.Count == 0 ? "DELETE FROM private_records" : $"DELETE FROM private_records WHERE key_id NOT IN ({names})");
        for (var i = 0; i < keep.Count; i++)
        {
            delete.With("k" + i.ToString(CultureInfo.InvariantCulture), keep[i]);
        }

        return await delete.ExecuteNonQueryAsync(ct);
    }, ct);
}
