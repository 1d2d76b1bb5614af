using System.Data.Common;

namespace Mimi.Discovery.Storage;

/// <summary>
/// Hosted clients' KeyPackages and the claims made on them: a claim hands each client's KeyPackage out once and
/// records who claimed it for which room, so the Welcome that uses it can be routed.
/// </summary>
public sealed class KeyPackageStore(MimiDatabase database)
{
    /// <summary>Stores KeyPackages; one already stored (same ref) is left as it is. Returns how many were new.</summary>
    public Task<int> AddKeyPackagesAsync(IReadOnlyList<NewKeyPackage> keyPackages, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        var added = 0;
        foreach (var k in keyPackages)
        {
            await using var insert = tx.Command("""
                INSERT INTO key_packages (kp_ref, client_uri, cipher_suite, data, last_resort, not_after, created_at) VALUES (@r, @c, @s, @d, @l, @n, @t)
                ON CONFLICT (kp_ref) DO NOTHING
                """);
            added += await insert.With("r", k.Ref).With("c", k.ClientUri).With("s", (long)k.CipherSuite).With("d", k.Data).With("l", k.LastResort ? 1L : 0L)
                .With("n", StoredTime.From(k.NotAfter)).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
        }

        return added;
    }, ct);

    /// <summary>Unclaimed, unexpired KeyPackages of a client.</summary>
    public Task<KeyPackageCount> CountKeyPackagesAsync(string clientUri, DateTimeOffset now, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("""
            SELECT COALESCE(SUM(CASE WHEN last_resort = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(last_resort), 0)
            FROM key_packages WHERE client_uri = @c AND not_after > @n
            """);
        await using var reader = await query.With("c", clientUri).With("n", StoredTime.From(now)).ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new KeyPackageCount(reader.GetInt64(0), reader.GetInt64(1));
    }, ct);

    /// <summary>
    /// Claims one KeyPackage for each active client of <paramref name="targetUser"/>: the oldest single-use one
    /// (deleted as it is handed out, so two concurrent claims never get the same), else the newest last-resort one
    /// (which stays), never an expired one, and only of <paramref name="cipherSuites"/> when any are given. Each claim
    /// is recorded so the Welcome that uses it can be routed.
    /// </summary>
    public Task<IReadOnlyList<ClaimedKeyPackage>> ClaimAsync(string targetUser, string requesterUser, string roomId, IReadOnlyCollection<ushort> cipherSuites,
        DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync<IReadOnlyList<ClaimedKeyPackage>>(async tx =>
        {
            var clients = new List<string>();
            await using (var query = tx.Command("SELECT client_uri FROM hosted_clients WHERE user_uri = @u AND removed_at IS NULL ORDER BY client_uri"))
            await using (var reader = await query.With("u", targetUser).ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    clients.Add(reader.GetString(0));
                }
            }

            var result = new List<ClaimedKeyPackage>(clients.Count);
            foreach (var client in clients)
            {
                var suites = cipherSuites.Count == 0 ? "" : $" AND cipher_suite IN ({string.Join(", ", cipherSuites.Select(s => ((long)s).ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
                var claimed = await TakeSingleUseAsync(tx, client, suites, now, ct) ?? await FindLastResortAsync(tx, client, suites, now, ct);
                if (claimed is { } found)
                {
                    await RecordClaimAsync(tx, new KeyPackageClaim(found.Ref, client, requesterUser, roomId), now, ct);
                }

                result.Add(new ClaimedKeyPackage(client, claimed?.Ref, claimed?.Data));
            }

            return result;
        }, ct);

    private static async Task<(string Ref, byte[] Data)?> TakeSingleUseAsync(DbTransaction tx, string client, string suites, DateTimeOffset now, CancellationToken ct)
    {
        // Under READ COMMITTED a concurrent claim may delete the candidate first: the DELETE then counts 0, so try the next.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            string kpRef;
            byte[] data;
            await using (var query = tx.Command($"""
                SELECT kp_ref, data FROM key_packages WHERE client_uri = @c AND last_resort = 0 AND not_after > @n{suites} ORDER BY created_at, kp_ref LIMIT 1
                """))
            await using (var reader = await query.With("c", client).With("n", StoredTime.From(now)).ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct))
                {
                    return null;
                }

                kpRef = reader.GetString(0);
                data = reader.GetBytes(1);
            }

            await using var delete = tx.Command("DELETE FROM key_packages WHERE kp_ref = @r");
            if (await delete.With("r", kpRef).ExecuteNonQueryAsync(ct) == 1)
            {
                return (kpRef, data);
            }
        }

        return null;
    }

    private static async Task<(string Ref, byte[] Data)?> FindLastResortAsync(DbTransaction tx, string client, string suites, DateTimeOffset now, CancellationToken ct)
    {
        await using var query = tx.Command($"""
            SELECT kp_ref, data FROM key_packages WHERE client_uri = @c AND last_resort = 1 AND not_after > @n{suites} ORDER BY created_at DESC, kp_ref LIMIT 1
            """);
        await using var reader = await query.With("c", client).With("n", StoredTime.From(now)).ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetBytes(1)) : null;
    }

    /// <summary>Records claims made through this provider for a remote target (the hub learns new members from them).</summary>
    public Task RecordClaimsAsync(IReadOnlyList<KeyPackageClaim> claims, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        foreach (var claim in claims)
        {
            await RecordClaimAsync(tx, claim, now, ct);
        }

        return 0;
    }, ct);

    private static async Task RecordClaimAsync(DbTransaction tx, KeyPackageClaim claim, DateTimeOffset now, CancellationToken ct)
    {
        await using var insert = tx.Command("""
            INSERT INTO key_package_claims (kp_ref, requester_user, room_id, client_uri, claimed_at) VALUES (@r, @q, @m, @c, @t)
            ON CONFLICT (kp_ref, requester_user, room_id) DO NOTHING
            """);
        await insert.With("r", claim.Ref).With("q", claim.RequesterUser).With("m", claim.RoomId).With("c", claim.ClientUri)
            .With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
    }

    /// <summary>The recorded claims of these KeyPackageRefs (a last-resort ref may have several), newest first.</summary>
    public Task<IReadOnlyList<KeyPackageClaim>> FindClaimsAsync(IReadOnlyCollection<string> refs, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<KeyPackageClaim>>(async c =>
        {
            var list = new List<KeyPackageClaim>();
            foreach (var kpRef in refs)
            {
                await using var query = c.Command("""
                    SELECT kp_ref, client_uri, requester_user, room_id FROM key_package_claims WHERE kp_ref = @r ORDER BY claimed_at DESC
                    """);
                await using var reader = await query.With("r", kpRef).ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    list.Add(new KeyPackageClaim(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                }
            }

            return list;
        }, ct);
}
