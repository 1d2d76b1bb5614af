using System.Data.Common;
using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>Providers and their keys. Every change bumps a revision that replicas poll to refresh their caches.</summary>
public sealed class ProviderStore(MimiDatabase database)
{
    private const string Columns = "domain, display_name, contact, trust, status, created_at, updated_at, key_material_url";

    /// <summary>Creates a provider with its first keys, recording the act; false if the domain is enrolled already.</summary>
    public Task<bool> CreateAsync(ProviderRecord provider, AuditActor actor, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using (var insert = tx.Command($"INSERT INTO providers ({Columns}) VALUES (@d, @n, @c, @t, @s, @ca, @ua, @k) ON CONFLICT (domain) DO NOTHING"))
        {
            if (await insert.With("d", provider.Domain).With("n", provider.DisplayName).With("c", provider.Contact)
                .With("t", (long)provider.Trust).With("s", (long)provider.Status)
                .With("ca", StoredTime.From(provider.CreatedAt)).With("ua", StoredTime.From(provider.UpdatedAt))
                .With("k", provider.KeyMaterialUrl).ExecuteNonQueryAsync(ct) == 0)
            {
                return false;
            }
        }

        // A new domain has no keys yet: these inserts meet no conflict (the caller refuses a kid given twice).
        foreach (var key in provider.Keys)
        {
            await InsertKeyAsync(tx, provider.Domain, key, ct);
        }

        await BumpRevisionAsync(tx, ct);
        await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.ProviderEnrol, AuditTargets.Provider(provider.Domain), provider.Domain, null,
            AuditChange.Of(("status", Name(provider.Status)), ("trust", Name(provider.Trust)),
                ("keys", provider.Keys.Select(k => AuditChange.Key(k.Kid, k.Jwk))))), provider.CreatedAt, ct);
        return true;
    }, ct);

    /// <summary>One provider with its keys, or null.</summary>
    public async Task<ProviderRecord?> GetAsync(string domain, CancellationToken ct) =>
        (await LoadAsync("WHERE domain = @d", domain, ct)).FirstOrDefault();

    /// <summary>Every provider with its keys, ordered by domain.</summary>
    public Task<IReadOnlyList<ProviderRecord>> ListAsync(CancellationToken ct) => LoadAsync("", null, ct);

    /// <summary>The directory revision; it changes whenever a provider or key changes.</summary>
    public Task<long> GetRevisionAsync(CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var command = c.Command("SELECT revision FROM directory_revision WHERE id = 1");
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }, ct);

    /// <summary>Suspends (starting a new token generation) or reinstates, recording the act; false if unknown.</summary>
    public Task<bool> SetStatusAsync(string domain, ProviderStatus status, DateTimeOffset now, AuditActor actor, CancellationToken ct) =>
        UpdateAsync(status == ProviderStatus.Suspended ? "status = @v, token_generation = token_generation + 1" : "status = @v", (long)status, domain, now,
            status == ProviderStatus.Suspended ? AuditActions.ProviderSuspend : AuditActions.ProviderReinstate, "status", s => Name((ProviderStatus)s.Status),
            actor, ct);

    /// <summary>Changes the trust level, recording the act; false if unknown.</summary>
    public Task<bool> SetTrustAsync(string domain, ProviderTrust trust, DateTimeOffset now, AuditActor actor, CancellationToken ct) =>
        UpdateAsync("trust = @v", (long)trust, domain, now, AuditActions.ProviderTrust, "trust", s => Name((ProviderTrust)s.Trust), actor, ct);

    /// <summary>
    /// Sets the URL template of the provider's MIMI keyMaterial endpoint (with <c>{targetUser}</c>), recording the act;
    /// false if unknown.
    /// </summary>
    public Task<bool> SetKeyMaterialUrlAsync(string domain, string? url, DateTimeOffset now, AuditActor actor, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            if (await ReadStateAsync(tx, domain, ct) is not { } before)
            {
                return false;
            }

            await using var update = tx.Command("UPDATE providers SET key_material_url = @k, updated_at = @u WHERE domain = @d");
            await update.With("k", url).With("u", StoredTime.From(now)).With("d", domain).ExecuteNonQueryAsync(ct);
            await BumpRevisionAsync(tx, ct);
            await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.SettingsSet, AuditTargets.Provider(domain), domain,
                AuditChange.Of(("keyMaterialUrl", before.KeyMaterialUrl)), AuditChange.Of(("keyMaterialUrl", url))), now, ct);
            return true;
        }, ct);

    /// <summary>Adds a signing key (rotation step one), recording the act.</summary>
    public Task<KeyChange> AddKeyAsync(string domain, ProviderKeyRecord key, AuditActor actor, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using (var provider = tx.Command($"SELECT 1 FROM providers WHERE domain = @d{database.Dialect.ForUpdate}"))
        {
            if (await provider.With("d", domain).ExecuteScalarAsync(ct) is null)
            {
                return KeyChange.NotFound;
            }
        }

        // The key first: a duplicate kid changes nothing, so the provider's updated_at and the revision stay.
        await using (var insert = tx.Command("""
            INSERT INTO provider_keys (domain, kid, jwk, created_at, retired_at) VALUES (@d, @k, @j, @c, @r) ON CONFLICT (domain, kid) DO NOTHING
            """))
        {
            if (await insert.With("d", domain).With("k", key.Kid).With("j", key.Jwk).With("c", StoredTime.From(key.CreatedAt))
                .With("r", key.RetiredAt is { } r ? StoredTime.From(r) : null).ExecuteNonQueryAsync(ct) == 0)
            {
                return KeyChange.Duplicate;
            }
        }

        await TouchAsync(tx, domain, key.CreatedAt, ct);
        await BumpRevisionAsync(tx, ct);
        await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.ProviderKeyAdd, AuditTargets.Provider(domain), domain, null,
            AuditChange.Key(key.Kid, key.Jwk)), key.CreatedAt, ct);
        return KeyChange.Done;
    }, ct);

    /// <summary>Retires a signing key (rotation step two), recording the act: assertions it signs are refused from now on.</summary>
    public Task<KeyChange> RetireKeyAsync(string domain, string kid, DateTimeOffset now, AuditActor actor, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            await using var retire = tx.Command("UPDATE provider_keys SET retired_at = @t WHERE domain = @d AND kid = @k AND retired_at IS NULL RETURNING jwk");
            if (await retire.With("t", StoredTime.From(now)).With("d", domain).With("k", kid).ExecuteScalarAsync(ct) is not string jwk)
            {
                return KeyChange.NotFound;
            }

            await TouchAsync(tx, domain, now, ct);
            await BumpRevisionAsync(tx, ct);
            await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.ProviderKeyRetire, AuditTargets.Provider(domain), domain,
                AuditChange.Key(kid, jwk), null), now, ct);
            return KeyChange.Done;
        }, ct);

    /// <summary>Changes one column of a provider and records <paramref name="action"/> with that field before and after.</summary>
    private Task<bool> UpdateAsync(string assignment, long value, string domain, DateTimeOffset now, string action, string field,
        Func<ProviderState, string> describe, AuditActor actor, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            if (await ReadStateAsync(tx, domain, ct) is not { } before)
            {
                return false;
            }

            await using var update = tx.Command($"UPDATE providers SET {assignment}, updated_at = @u WHERE domain = @d");
            await update.With("v", value).With("u", StoredTime.From(now)).With("d", domain).ExecuteNonQueryAsync(ct);
            await BumpRevisionAsync(tx, ct);
            var after = await ReadStateAsync(tx, domain, ct);
            await AuditStore.AppendAsync(tx, actor, new AuditEvent(action, AuditTargets.Provider(domain), domain,
                AuditChange.Of((field, describe(before))), AuditChange.Of((field, describe(after!)))), now, ct);
            return true;
        }, ct);

    /// <summary>What the audit trail says of a provider's state, read (and locked) inside a write.</summary>
    private sealed record ProviderState(long Status, long Trust, string? KeyMaterialUrl);

    private async Task<ProviderState?> ReadStateAsync(DbTransaction tx, string domain, CancellationToken ct)
    {
        await using var query = tx.Command($"SELECT status, trust, key_material_url FROM providers WHERE domain = @d{database.Dialect.ForUpdate}");
        await using var reader = await query.With("d", domain).ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ProviderState(reader.GetInt64(0), reader.GetInt64(1), reader.GetNullableString(2)) : null;
    }

    private static string Name(ProviderStatus status) => status == ProviderStatus.Suspended ? "suspended" : "active";

    private static string Name(ProviderTrust trust) => trust == ProviderTrust.Trusted ? "trusted" : "standard";

    private static async Task<bool> TouchAsync(DbTransaction tx, string domain, DateTimeOffset now, CancellationToken ct)
    {
        await using var touch = tx.Command("UPDATE providers SET updated_at = @u WHERE domain = @d");
        return await touch.With("u", StoredTime.From(now)).With("d", domain).ExecuteNonQueryAsync(ct) > 0;
    }

    private static async Task InsertKeyAsync(DbTransaction tx, string domain, ProviderKeyRecord key, CancellationToken ct)
    {
        await using var insert = tx.Command("INSERT INTO provider_keys (domain, kid, jwk, created_at, retired_at) VALUES (@d, @k, @j, @c, @r)");
        await insert.With("d", domain).With("k", key.Kid).With("j", key.Jwk).With("c", StoredTime.From(key.CreatedAt))
            .With("r", key.RetiredAt is { } r ? StoredTime.From(r) : null).ExecuteNonQueryAsync(ct);
    }

    internal static async Task BumpRevisionAsync(DbTransaction tx, CancellationToken ct)
    {
        await using var bump = tx.Command("UPDATE directory_revision SET revision = revision + 1 WHERE id = 1");
        await bump.ExecuteNonQueryAsync(ct);
    }

    private Task<IReadOnlyList<ProviderRecord>> LoadAsync(string where, string? domain, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<ProviderRecord>>(async c =>
        {
            var keys = new Dictionary<string, List<ProviderKeyRecord>>(StringComparer.Ordinal);
            await using (var keyQuery = c.Command($"SELECT domain, kid, jwk, created_at, retired_at FROM provider_keys {where} ORDER BY created_at, kid"))
            {
                if (domain is not null)
                {
                    keyQuery.With("d", domain);
                }

                await using var reader = await keyQuery.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var owner = reader.GetString(0);
                    if (!keys.TryGetValue(owner, out var list))
                    {
                        keys[owner] = list = [];
                    }

                    list.Add(new ProviderKeyRecord(reader.GetString(1), reader.GetString(2), StoredTime.To(reader.GetInt64(3)), StoredTime.To(reader.GetNullableInt64(4))));
                }
            }

            var providers = new List<ProviderRecord>();
            await using (var query = c.Command($"SELECT {Columns}, token_generation FROM providers {where} ORDER BY domain"))
            {
                if (domain is not null)
                {
                    query.With("d", domain);
                }

                await using var reader = await query.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var d = reader.GetString(0);
                    providers.Add(new ProviderRecord(d, reader.GetString(1), reader.GetString(2), (ProviderTrust)reader.GetInt64(3),
                        (ProviderStatus)reader.GetInt64(4), StoredTime.To(reader.GetInt64(5)), StoredTime.To(reader.GetInt64(6)),
                        keys.TryGetValue(d, out var k) ? k : [], reader.GetNullableString(7), reader.GetInt64(8)));
                }
            }

            return providers;
        }, ct);
}
