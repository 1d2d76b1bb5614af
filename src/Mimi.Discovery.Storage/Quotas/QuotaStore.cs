using System.Text.Json;

namespace Mimi.Discovery.Storage;

/// <summary>Owner quotas; changes bump the directory revision that replicas poll.</summary>
public sealed class QuotaStore(MimiDatabase database)
{
    /// <summary>
    /// Creates or replaces an owner's quota, recording the act (and bumps the directory revision, so every replica
    /// reloads it).
    /// </summary>
    public Task SetAsync(OwnerQuota quota, AuditActor actor, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await ProviderStore.BumpRevisionAsync(tx, ct);
        JsonElement? before = null;
        await using (var query = tx.Command("""
            SELECT lookups_per_requester, lookups_total, claims_per_requester, claims_total, window_seconds FROM provider_quotas WHERE owner = @o
            """))
        await using (var reader = await query.With("o", quota.Owner).ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                before = Change(reader.GetNullableInt64(0), reader.GetNullableInt64(1), reader.GetNullableInt64(2), reader.GetNullableInt64(3), reader.GetInt64(4));
            }
        }

        await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.QuotaSet, AuditTargets.Provider(quota.Owner), quota.Owner, before,
            Change(quota.LookupsPerRequester, quota.LookupsTotal, quota.ClaimsPerRequester, quota.ClaimsTotal, (long)quota.Window.TotalSeconds)),
            quota.UpdatedAt, ct);
        await using var upsert = tx.Command("""
            INSERT INTO provider_quotas (owner, lookups_per_requester, lookups_total, claims_per_requester, claims_total, window_seconds, updated_at)
            VALUES (@o, @lr, @lt, @cr, @ct, @w, @u)
            ON CONFLICT (owner) DO UPDATE SET lookups_per_requester = excluded.lookups_per_requester, lookups_total = excluded.lookups_total,
                claims_per_requester = excluded.claims_per_requester, claims_total = excluded.claims_total,
                window_seconds = excluded.window_seconds, updated_at = excluded.updated_at
            """);
        return await upsert.With("o", quota.Owner).With("lr", (long?)quota.LookupsPerRequester).With("lt", (long?)quota.LookupsTotal)
            .With("cr", (long?)quota.ClaimsPerRequester).With("ct", (long?)quota.ClaimsTotal).With("w", (long)quota.Window.TotalSeconds)
            .With("u", StoredTime.From(quota.UpdatedAt)).ExecuteNonQueryAsync(ct);
    }, ct);

    private static JsonElement Change(long? lookupsPerRequester, long? lookupsTotal, long? claimsPerRequester, long? claimsTotal, long windowSeconds) =>
        AuditChange.Of(("lookupsPerRequester", lookupsPerRequester), ("lookupsTotal", lookupsTotal), ("claimsPerRequester", claimsPerRequester),
            ("claimsTotal", claimsTotal), ("windowSeconds", windowSeconds));

    /// <summary>Every owner's quota (a small table, cached by the service).</summary>
    public Task<IReadOnlyList<OwnerQuota>> ListAsync(CancellationToken ct) => database.ReadAsync<IReadOnlyList<OwnerQuota>>(async c =>
    {
        await using var query = c.Command("""
            SELECT owner, lookups_per_requester, lookups_total, claims_per_requester, claims_total, window_seconds, updated_at FROM provider_quotas
            """);
        await using var reader = await query.ExecuteReaderAsync(ct);
        var list = new List<OwnerQuota>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new OwnerQuota(reader.GetString(0), (int?)reader.GetNullableInt64(1), (int?)reader.GetNullableInt64(2), (int?)reader.GetNullableInt64(3),
                (int?)reader.GetNullableInt64(4), TimeSpan.FromSeconds(reader.GetInt64(5)), StoredTime.To(reader.GetInt64(6))));
        }

        return list;
    }, ct);
}
