using System.Data.Common;
using System.Text.Json;
using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>Credential reads. Writes happen only through the log (<see cref="LogStore"/>), in the same transaction as their entry.</summary>
public sealed class CredentialStore(MimiDatabase database)
{
    internal const string Columns = """
        serial, provider, sii, ssi, tags, attestation, certificate, assertion, not_before, not_after, log_index, created_at,
        revoked_at, revocation_reason, revocation_log_index, discoverability, allowed_providers, removed_at,
        vrf_key, identifier_index, vrf_proof, log_opening
        """;

    /// <summary>One credential by serial (lower-case hex), or null.</summary>
    public async Task<CredentialRecord?> GetAsync(string serial, CancellationToken ct) =>
        (await QueryAsync("WHERE serial = @s", c => c.With("s", serial), 1, ct)).FirstOrDefault();

    /// <summary>A provider's credentials, newest first, after an optional serial cursor.</summary>
    public Task<IReadOnlyList<CredentialRecord>> ListByProviderAsync(string provider, int limit, CancellationToken ct) =>
        QueryAsync("WHERE provider = @p ORDER BY created_at DESC, serial", c => c.With("p", provider), limit, ct);

    /// <summary>The newest credentials of every provider (the operator's issuance feed), newest first.</summary>
    public Task<IReadOnlyList<CredentialRecord>> ListRecentAsync(int limit, CancellationToken ct) =>
        QueryAsync("ORDER BY created_at DESC, serial", _ => { }, limit, ct);

    /// <summary>The newest revocations of every provider, newest first.</summary>
    public Task<IReadOnlyList<CredentialRecord>> ListRecentlyRevokedAsync(int limit, CancellationToken ct) =>
        QueryAsync("WHERE revoked_at IS NOT NULL ORDER BY revoked_at DESC, serial", _ => { }, limit, ct);

    /// <summary>
    /// The mappings that may be returned for these identifiers: not revoked, not removed, not expired. Visibility to a
    /// particular requester is decided by the caller. One query for the whole batch.
    /// </summary>
    public Task<IReadOnlyList<CredentialRecord>> ListActiveBySiisAsync(IReadOnlyList<string> siis, DateTimeOffset now, CancellationToken ct)
    {
        if (siis.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<CredentialRecord>>([]);
        }

        var names = string.Join(", ", siis.Select((_, i) => "@s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return QueryAsync($"WHERE sii IN ({names}) AND revoked_at IS NULL AND removed_at IS NULL AND not_after > @now ORDER BY sii, provider, log_index DESC",
            c =>
            {
                for (var i = 0; i < siis.Count; i++)
                {
                    c.With("s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), siis[i]);
                }

                c.With("now", StoredTime.From(now));
            }, int.MaxValue, ct);
    }

    /// <summary>
    /// Which of <paramref name="siis"/> <paramref name="provider"/> holds a live credential for (not revoked, not
    /// expired at <paramref name="now"/>): who may see the identifier's log entries opened. One query for the batch.
    /// </summary>
    public Task<IReadOnlySet<string>> ListHeldAsync(string provider, IReadOnlyCollection<string> siis, DateTimeOffset now, CancellationToken ct) =>
        siis.Count == 0 ? Task.FromResult<IReadOnlySet<string>>(new HashSet<string>()) : database.ReadAsync<IReadOnlySet<string>>(async c =>
        {
            await using var query = c.Command("");
            query.CommandText = $"SELECT DISTINCT sii FROM credentials WHERE sii IN ({Parameters(query, "s", siis)}) AND provider = @p " +
                                "AND revoked_at IS NULL AND not_after > @now";
            await using var reader = await query.With("p", provider).With("now", StoredTime.From(now)).ExecuteReaderAsync(ct);
            var held = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                held.Add(reader.GetString(0));
            }

            return held;
        }, ct);

    /// <summary>
    /// Keeps VRF proofs computed where bulk-imported credentials were first served, for rows that have none yet. The
    /// change sequence is not taken: a proof is deterministic, so what any replica serves does not change.
    /// </summary>
    public Task SetProofsAsync(IReadOnlyList<(string Serial, byte[] Proof)> proofs, CancellationToken ct) =>
        proofs.Count == 0 ? Task.CompletedTask : database.WriteAsync(async tx =>
        {
            foreach (var (serial, proof) in proofs)
            {
                await using var update = tx.Command("UPDATE credentials SET vrf_proof = @p WHERE serial = @s AND vrf_proof IS NULL");
                await update.With("p", proof).With("s", serial).ExecuteNonQueryAsync(ct);
            }

            return proofs.Count;
        }, ct);

    /// <summary>Binds <paramref name="values"/> as @prefix0, @prefix1… and returns the list for an IN clause.</summary>
    internal static string Parameters(DbCommand command, string prefix, IEnumerable<object> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = prefix + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.With(name, value);
            names.Add("@" + name);
        }

        return string.Join(", ", names);
    }

    /// <summary>Changes who may discover a mapping, recording the act; false if unknown.</summary>
    public Task<bool> SetDiscoverabilityAsync(string serial, Discoverability mode, IReadOnlyList<string> providers, DateTimeOffset at, AuditActor actor,
        CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            var change = await NextChangeAsync(tx, ct);
            string owner;
            JsonElement before;
            await using (var query = tx.Command($"SELECT provider, discoverability, allowed_providers FROM credentials WHERE serial = @s{database.Dialect.ForUpdate}"))
            await using (var reader = await query.With("s", serial).ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct))
                {
                    return false;
                }

                owner = reader.GetString(0);
                before = Visibility((Discoverability)reader.GetInt64(1), JsonSerializer.Deserialize(reader.GetString(2), StorageJson.Default.StringArray) ?? []);
            }

            await using var update = tx.Command("UPDATE credentials SET discoverability = @d, allowed_providers = @a, change_seq = @c WHERE serial = @s");
            await update.With("d", (long)mode).With("a", JsonSerializer.Serialize(providers.ToArray(), StorageJson.Default.StringArray))
                .With("c", change).With("s", serial).ExecuteNonQueryAsync(ct);
            await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.MappingDiscoverability, AuditTargets.Mapping(serial), owner, before,
                Visibility(mode, providers)), at, ct);
            return true;
        }, ct);

    /// <summary>
    /// Removes a mapping from discovery (R9, R10), recording the act: effective for the next lookup; false if unknown or
    /// removed already.
    /// </summary>
    public Task<bool> RemoveAsync(string serial, DateTimeOffset at, AuditActor actor, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        var change = await NextChangeAsync(tx, ct);
        await using var update = tx.Command("UPDATE credentials SET removed_at = @t, change_seq = @c WHERE serial = @s AND removed_at IS NULL RETURNING provider");
        if (await update.With("t", StoredTime.From(at)).With("c", change).With("s", serial).ExecuteScalarAsync(ct) is not string owner)
        {
            return false;
        }

        await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.MappingRemove, AuditTargets.Mapping(serial), owner,
            AuditChange.Of(("removed", false)), AuditChange.Of(("removed", true))), at, ct);
        return true;
    }, ct);

    // The wire names of the modes (PUT /v1/mappings/{serial}/discoverability), so an event reads like the request that caused it.
    private static JsonElement Visibility(Discoverability mode, IReadOnlyList<string> providers) => AuditChange.Of(
        ("mode", mode switch
        {
            Discoverability.Everyone => "everyone",
            Discoverability.SameProvider => "same-provider",
            Discoverability.ListedProviders => "providers",
            _ => "nobody",
        }),
        ("providers", providers));

    /// <summary>The newest change sequence: every write to a credential row takes the next one, in commit order.</summary>
    public Task<long> GetChangeSequenceAsync(CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT seq FROM mapping_changes WHERE id = 1");
        return (long)(await query.ExecuteScalarAsync(ct))!;
    }, ct);

    /// <summary>
    /// Streams every mapping that may be returned now (not revoked, not removed, not expired) to <paramref name="each"/>,
    /// in one query; returns how many. Equal tag and provider lists share one array.
    /// </summary>
    public Task<long> ReadActiveMappingsAsync(DateTimeOffset now, Action<MappingRow> each, CancellationToken ct) =>
        database.ReadAsync(async c =>
        {
            await using var query = c.Command($"SELECT {MappingColumns} FROM credentials WHERE revoked_at IS NULL AND removed_at IS NULL AND not_after > @now");
            await using var reader = await query.With("now", StoredTime.From(now)).ExecuteReaderAsync(ct);
            var lists = new Dictionary<string, string[]>(StringComparer.Ordinal);
            long count = 0;
            while (await reader.ReadAsync(ct))
            {
                each(ReadMapping(reader, lists));
                count++;
            }

            return count;
        }, ct);

    /// <summary>
    /// Rows changed after the position (<paramref name="afterSequence"/>, <paramref name="afterSerial"/>), in change
    /// order, active or not. One transaction's rows share a sequence number, so a position inside one names the serial.
    /// </summary>
    public Task<IReadOnlyList<MappingRow>> ListChangesAsync(long afterSequence, string? afterSerial, int limit, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<MappingRow>>(async c =>
        {
            // Without a serial: everything after the whole sequence number (the position after a full load). With one, a
            // row-value comparison: both databases seek ix_credentials_changes to the position, where the equivalent
            // OR of two conditions makes PostgreSQL scan the index from its start and filter, a cost growing with the table.
            await using var query = c.Command(afterSerial is null
                ? $"SELECT {MappingColumns} FROM credentials WHERE change_seq > @seq ORDER BY change_seq, serial LIMIT @limit"
                : $"SELECT {MappingColumns} FROM credentials WHERE (change_seq, serial) > (@seq, @serial) ORDER BY change_seq, serial LIMIT @limit");
            query.With("seq", afterSequence).With("limit", (long)limit);
            if (afterSerial is not null)
            {
                query.With("serial", afterSerial);
            }

            await using var reader = await query.ExecuteReaderAsync(ct);
            var lists = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var list = new List<MappingRow>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(ReadMapping(reader, lists));
            }

            return list;
        }, ct);

    private const string MappingColumns =
        "serial, provider, sii, ssi, tags, assertion, not_after, log_index, created_at, discoverability, allowed_providers, revoked_at IS NULL AND removed_at IS NULL, change_seq, " +
        "attestation, vrf_key, vrf_proof, log_opening";

    private static MappingRow ReadMapping(DbDataReader r, Dictionary<string, string[]> lists) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), List(r.GetString(4), lists), r.GetString(5),
        StoredTime.To(r.GetInt64(6)), r.GetInt64(7), StoredTime.To(r.GetInt64(8)), (Discoverability)r.GetInt64(9), List(r.GetString(10), lists),
        r.GetBoolean(11), r.GetInt64(12), (Attestation)r.GetInt64(13), r.GetNullableString(14), r.GetNullableBytes(15), r.GetNullableBytes(16));

    private static string[] List(string json, Dictionary<string, string[]> lists)
    {
        if (!lists.TryGetValue(json, out var list))
        {
            list = JsonSerializer.Deserialize(json, StorageJson.Default.StringArray) ?? [];
            if (lists.Count < 4096)
            {
                lists[json] = list;
            }
        }

        return list;
    }

    /// <summary>Takes the next change sequence number; the row lock it takes orders change commits by sequence.</summary>
    internal static async Task<long> NextChangeAsync(DbTransaction tx, CancellationToken ct)
    {
        await using var bump = tx.Command("UPDATE mapping_changes SET seq = seq + 1 WHERE id = 1 RETURNING seq");
        return (long)(await bump.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Revoked serials whose certificates have not yet expired (expired ones need not stay on the CRL).</summary>
    public Task<IReadOnlyList<RevokedSerial>> ListRevokedAsync(DateTimeOffset now, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<RevokedSerial>>(async c =>
        {
            await using var query = c.Command("""
                SELECT serial, revoked_at, revocation_reason FROM credentials
                WHERE revoked_at IS NOT NULL AND not_after > @n ORDER BY revoked_at, serial
                """);
            await using var reader = await query.With("n", StoredTime.From(now)).ExecuteReaderAsync(ct);
            var list = new List<RevokedSerial>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(new RevokedSerial(reader.GetString(0), StoredTime.To(reader.GetInt64(1)), reader.GetString(2)));
            }

            return list;
        }, ct);

    private Task<IReadOnlyList<CredentialRecord>> QueryAsync(string where, Action<DbCommand> bind, int limit, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<CredentialRecord>>(async c =>
        {
            await using var query = c.Command(limit == int.MaxValue ? $"SELECT {Columns} FROM credentials {where}" : $"SELECT {Columns} FROM credentials {where} LIMIT @limit");
            bind(query);
            if (limit != int.MaxValue)
            {
                query.With("limit", (long)limit);
            }

            await using var reader = await query.ExecuteReaderAsync(ct);
            var list = new List<CredentialRecord>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(Read(reader));
            }

            return list;
        }, ct);

    internal static CredentialRecord Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        JsonSerializer.Deserialize(r.GetString(4), StorageJson.Default.StringArray) ?? [],
        (Attestation)r.GetInt64(5), r.GetBytes(6), r.GetString(7),
        StoredTime.To(r.GetInt64(8)), StoredTime.To(r.GetInt64(9)), r.GetInt64(10), StoredTime.To(r.GetInt64(11)),
        StoredTime.To(r.GetNullableInt64(12)), r.GetNullableString(13), r.GetNullableInt64(14),
        (Discoverability)r.GetInt64(15), JsonSerializer.Deserialize(r.GetString(16), StorageJson.Default.StringArray) ?? [], StoredTime.To(r.GetNullableInt64(17)),
        r.GetNullableString(18), r.GetNullableBytes(19), r.GetNullableBytes(20), r.GetNullableBytes(21));

    private static readonly BulkTable Table = new("credentials",
        ("serial", StoredType.Text), ("provider", StoredType.Text), ("sii", StoredType.Text), ("ssi", StoredType.Text), ("tags", StoredType.Text),
        ("attestation", StoredType.Int64), ("certificate", StoredType.Bytes), ("assertion", StoredType.Text), ("not_before", StoredType.Int64),
        ("not_after", StoredType.Int64), ("log_index", StoredType.Int64), ("created_at", StoredType.Int64), ("discoverability", StoredType.Int64),
        ("allowed_providers", StoredType.Text), ("change_seq", StoredType.Int64), ("vrf_key", StoredType.Text), ("identifier_index", StoredType.Bytes),
        ("vrf_proof", StoredType.Bytes), ("log_opening", StoredType.Bytes));

    /// <summary>Writes issued credentials inside the log's append transaction, all with change sequence <paramref name="change"/>.</summary>
    internal static Task InsertManyAsync(DbTransaction tx, SqlDialect dialect, IReadOnlyList<CredentialRecord> credentials, long change, CancellationToken ct) =>
        dialect.InsertManyAsync(tx, Table, credentials.Select(c => new object?[]
        {
            c.Serial, c.Provider, c.Sii, c.Ssi, JsonSerializer.Serialize(c.Tags.ToArray(), StorageJson.Default.StringArray), (long)c.Attestation,
            c.Certificate, c.Assertion, StoredTime.From(c.NotBefore), StoredTime.From(c.NotAfter), c.LogIndex, StoredTime.From(c.CreatedAt),
            (long)c.Discoverability, JsonSerializer.Serialize((c.AllowedProviders ?? []).ToArray(), StorageJson.Default.StringArray), change,
            c.VrfKeyId, c.IdentifierIndex, c.VrfProof, c.LogOpening,
        }).ToList(), ct);

    /// <summary>Revokes inside a log transaction; the credential's provider, or null when unknown or revoked already.</summary>
    internal static async Task<string?> RevokeAsync(DbTransaction tx, string serial, DateTimeOffset at, string reason, long logIndex, long change, CancellationToken ct)
    {
        await using var update = tx.Command("""
            UPDATE credentials SET revoked_at = @at, revocation_reason = @r, revocation_log_index = @idx, change_seq = @c
            WHERE serial = @s AND revoked_at IS NULL RETURNING provider
            """);
        return await update.With("at", StoredTime.From(at)).With("r", reason).With("idx", logIndex).With("c", change).With("s", serial)
            .ExecuteScalarAsync(ct) as string;
    }
}
