using System.Data.Common;

namespace Mimi.Discovery.Storage;

/// <summary>What an inbox item carries.</summary>
public enum InboxKind
{
    /// <summary>An MLS Welcome (with the ratchet tree when the hub had it).</summary>
    Welcome = 0,

    /// <summary>A commit or proposal.</summary>
    Handshake = 1,

    /// <summary>An application message.</summary>
    Application = 2,
}

/// <summary>A validated KeyPackage to store: its KeyPackageRef (hex), owner client, cipher suite, MLSMessage bytes, last-resort flag and expiry.</summary>
public sealed record NewKeyPackage(string Ref, string ClientUri, ushort CipherSuite, byte[] Data, bool LastResort, DateTimeOffset NotAfter);

/// <summary>What one client of a claimed user yielded: a KeyPackage (MLSMessage bytes), or null when it had none left.</summary>
public sealed record ClaimedKeyPackage(string ClientUri, string? Ref, byte[]? Data);

/// <summary>How a claim ended: the target's clients and their KeyPackages, or that the target has no clients.</summary>
public sealed record KeyPackageClaimResult(IReadOnlyList<ClaimedKeyPackage> Clients);

/// <summary>A recorded claim: which client a KeyPackageRef belongs to, who claimed it and for which room.</summary>
public sealed record KeyPackageClaim(string Ref, string ClientUri, string RequesterUser, string RoomId);

/// <summary>How many unclaimed, unexpired KeyPackages a client has.</summary>
public sealed record KeyPackageCount(long Available, long LastResort);

/// <summary>A room this instance hosts (the hub): its MLS group id, current epoch and latest GroupInfo and ratchet tree.</summary>
public sealed record HostedRoom(string RoomId, byte[] GroupId, ulong Epoch, byte[]? GroupInfo, byte[]? RatchetTree, DateTimeOffset CreatedAt);

/// <summary>A member client of a room and the provider domain hosting it.</summary>
public sealed record RoomMember(string ClientUri, string Domain);

/// <summary>
/// One item to put in a local client's inbox. <see cref="Hold"/> quarantines it (and the room's later items for that
/// client) until the target user accepts the requester; <see cref="TargetUser"/> and <see cref="RequesterUser"/> name
/// that pair when held.
/// </summary>
public sealed record InboxDelivery(
    string ClientUri, InboxKind Kind, string RoomId, byte[] Message, byte[]? RatchetTree, bool Hold = false, string? TargetUser = null, string? RequesterUser = null);

/// <summary>A notify body for one follower provider.</summary>
public sealed record FollowerNotify(string Domain, byte[] Body);

/// <summary>
/// What the hub does when it accepts a handshake or application message, atomically: checks (and for a commit,
/// advances) the room's epoch, delivers the message to local members except the sender, queues one notify per
/// follower provider, adds the Welcome's new members, delivers local Welcomes and queues remote ones.
/// </summary>
public sealed record HubAcceptance(
    string RoomId,
    string OwnDomain,
    ulong Epoch,
    bool AdvanceEpoch,
    byte[]? GroupInfo,
    byte[]? RatchetTree,
    string? SenderClient,
    InboxKind Kind,
    byte[] Message,
    byte[] NotifyBody,
    IReadOnlyList<RoomMember> NewMembers,
    IReadOnlyList<InboxDelivery> LocalWelcomes,
    IReadOnlyList<FollowerNotify> RemoteWelcomes)
{
    /// <summary>
    /// The room's members after this commit, read from the ratchet tree the committer sent; when set it replaces the
    /// member list (after the commit is fanned out to the old one), so removals stop fan-out. Null keeps the list and
    /// adds <see cref="NewMembers"/>.
    /// </summary>
    public IReadOnlyList<RoomMember>? Roster { get; init; }

    /// <summary>An external commit's GroupInfo grant to consume: the joiner's client.</summary>
    public string? ConsumedGrant { get; init; }
}

/// <summary>A live GroupInfo grant: which client, of which provider, the hub handed a room's GroupInfo to.</summary>
public sealed record GroupInfoGrant(string RoomId, string ClientUri, string Domain, byte[] SignatureKey);

/// <summary>The hub's verdict: accepted, or the room's current epoch; and the local clients whose inbox grew.</summary>
public sealed record HubOutcome(bool Accepted, ulong CurrentEpoch, IReadOnlyList<string> NotifiedClients);

/// <summary>One fanned-out message a follower applies: explicit Welcome deliveries, or a room message for every local member.</summary>
public sealed record NotifyItem(InboxKind Kind, byte[] Message, string MessageHash, IReadOnlyList<InboxDelivery>? Welcomes, IReadOnlyList<RoomMember>? NewMembers);

/// <summary>An inbox item as a client reads it.</summary>
public sealed record InboxItem(long Sequence, InboxKind Kind, string RoomId, byte[] Message, byte[]? RatchetTree, DateTimeOffset CreatedAt);

/// <summary>
/// The delivery core's state: KeyPackages and their claims, hosted rooms (epoch, members, latest GroupInfo), client
/// inboxes and quarantine. Every multi-step change is one transaction, with its outbox messages in it.
/// </summary>
public sealed class DeliveryStore(MimiDatabase database)
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
    public Task<KeyPackageClaimResult> ClaimAsync(string targetUser, string requesterUser, string roomId, IReadOnlyCollection<ushort> cipherSuites,
        DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync(async tx =>
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

            return new KeyPackageClaimResult(result);
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

    /// <summary>Creates a hosted room at epoch 0 with its creator as the first member; false when the room id is taken.</summary>
    public async Task<bool> TryCreateRoomAsync(string roomId, byte[] groupId, RoomMember creator, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            return await database.WriteAsync(async tx =>
            {
                await using (var insert = tx.Command("INSERT INTO rooms (room_id, group_id, epoch, created_at) VALUES (@r, @g, 0, @t)"))
                {
                    await insert.With("r", roomId).With("g", groupId).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
                }

                await AddMemberAsync(tx, roomId, creator, now, ct);
                return true;
            }, ct);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.UniqueViolation)
        {
            return false;
        }
    }

    /// <summary>A hosted room, or null.</summary>
    public Task<HostedRoom?> FindRoomAsync(string roomId, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT room_id, group_id, epoch, group_info, ratchet_tree, created_at FROM rooms WHERE room_id = @r");
        await using var reader = await query.With("r", roomId).ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new HostedRoom(reader.GetString(0), reader.GetBytes(1), (ulong)reader.GetInt64(2), reader.GetNullableBytes(3), reader.GetNullableBytes(4),
                StoredTime.To(reader.GetInt64(5)))
            : null;
    }, ct);

    /// <summary>Whether <paramref name="clientUri"/> is a member of the room (as this instance knows it).</summary>
    public Task<bool> IsMemberAsync(string roomId, string clientUri, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT 1 FROM room_members WHERE room_id = @r AND client_uri = @c");
        return await query.With("r", roomId).With("c", clientUri).ExecuteScalarAsync(ct) is not null;
    }, ct);

    /// <summary>Whether any member of the room is hosted by <paramref name="domain"/> (that provider is a follower).</summary>
    public Task<bool> HasMemberAtAsync(string roomId, string domain, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT 1 FROM room_members WHERE room_id = @r AND domain = @d LIMIT 1");
        return await query.With("r", roomId).With("d", domain).ExecuteScalarAsync(ct) is not null;
    }, ct);

    /// <summary>The members of a room as this instance knows them.</summary>
    public Task<IReadOnlyList<RoomMember>> ListMembersAsync(string roomId, CancellationToken ct) => database.ReadAsync<IReadOnlyList<RoomMember>>(async c =>
    {
        await using var query = c.Command("SELECT client_uri, domain FROM room_members WHERE room_id = @r ORDER BY client_uri");
        await using var reader = await query.With("r", roomId).ExecuteReaderAsync(ct);
        var list = new List<RoomMember>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new RoomMember(reader.GetString(0), reader.GetString(1)));
        }

        return list;
    }, ct);

    /// <summary>
    /// Applies a hub decision atomically (see <see cref="HubAcceptance"/>). The epoch check is a conditional update, so
    /// of two commits for one epoch exactly one advances it; the other gets the current epoch back.
    /// </summary>
    public Task<HubOutcome> AcceptAsync(HubAcceptance a, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        var epoch = (long)a.Epoch;
        var sets = !a.AdvanceEpoch ? "epoch = epoch"
            : "epoch = epoch + 1" + (a.GroupInfo is null ? "" : ", group_info = @gi") + (a.RatchetTree is null ? "" : ", ratchet_tree = @rt");
        await using (var update = tx.Command($"UPDATE rooms SET {sets} WHERE room_id = @r AND epoch = @e"))
        {
            if (a.AdvanceEpoch && a.GroupInfo is not null)
            {
                update.With("gi", a.GroupInfo);
            }

            if (a.AdvanceEpoch && a.RatchetTree is not null)
            {
                update.With("rt", a.RatchetTree);
            }

            if (await update.With("r", a.RoomId).With("e", epoch).ExecuteNonQueryAsync(ct) != 1)
            {
                await using var current = tx.Command("SELECT epoch FROM rooms WHERE room_id = @r");
                var value = await current.With("r", a.RoomId).ExecuteScalarAsync(ct);
                return new HubOutcome(false, value is null ? 0 : (ulong)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), []);
            }
        }

        var members = new List<RoomMember>();
        await using (var query = tx.Command("SELECT client_uri, domain FROM room_members WHERE room_id = @r ORDER BY client_uri"))
        await using (var reader = await query.With("r", a.RoomId).ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                members.Add(new RoomMember(reader.GetString(0), reader.GetString(1)));
            }
        }

        var notified = new List<string>();
        foreach (var member in members)
        {
            if (member.Domain == a.OwnDomain && member.ClientUri != a.SenderClient)
            {
                await DeliverAsync(tx, new InboxDelivery(member.ClientUri, a.Kind, a.RoomId, a.Message, null), now, ct);
                notified.Add(member.ClientUri);
            }
        }

        var outbound = new List<NewOutboxMessage>();
        foreach (var domain in members.Select(m => m.Domain).Where(d => d != a.OwnDomain).Distinct(StringComparer.Ordinal))
        {
            outbound.Add(new NewOutboxMessage(Guid.CreateVersion7().ToString("N"), domain, "notify", a.RoomId, a.NotifyBody));
        }

        if (a.Roster is { } roster)
        {
            await ReplaceMembersAsync(tx, a.RoomId, members, roster, now, ct);
        }
        else
        {
            foreach (var member in a.NewMembers)
            {
                await AddMemberAsync(tx, a.RoomId, member, now, ct);
            }
        }

        if (a.ConsumedGrant is { } grant)
        {
            await using var consume = tx.Command("DELETE FROM group_info_grants WHERE room_id = @r AND client_uri = @c");
            await consume.With("r", a.RoomId).With("c", grant).ExecuteNonQueryAsync(ct);
        }

        foreach (var welcome in a.LocalWelcomes)
        {
            await DeliverAsync(tx, welcome, now, ct);
            notified.Add(welcome.ClientUri);
        }

        foreach (var remote in a.RemoteWelcomes)
        {
            outbound.Add(new NewOutboxMessage(Guid.CreateVersion7().ToString("N"), remote.Domain, "notify", a.RoomId, remote.Body));
        }

        await OutboxStore.EnqueueAsync(tx, outbound, now, ct);
        return new HubOutcome(true, a.AdvanceEpoch ? a.Epoch + 1 : a.Epoch, notified);
    }, ct);

    /// <summary>
    /// Applies a follower's notify once per (source, message id): Welcomes to the clients they name (who become local
    /// members of the room), other messages to every local member of the room except the client that sent it through
    /// this provider. Returns the clients whose inbox grew; empty for a duplicate.
    /// </summary>
    public Task<IReadOnlyList<string>> ApplyNotifyAsync(string source, string messageId, string roomId, IReadOnlyList<NotifyItem> items, DateTimeOffset now,
        CancellationToken ct) => database.WriteAsync<IReadOnlyList<string>>(async tx =>
        {
            if (!await InboundMessageStore.TryRecordAsync(tx, source, messageId, now, ct))
            {
                return [];
            }

            var notified = new List<string>();
            foreach (var item in items)
            {
                if (item.Welcomes is { } welcomes)
                {
                    foreach (var member in item.NewMembers ?? [])
                    {
                        await AddMemberAsync(tx, roomId, member, now, ct);
                    }

                    foreach (var welcome in welcomes)
                    {
                        await DeliverAsync(tx, welcome, now, ct);
                        notified.Add(welcome.ClientUri);
                    }

                    continue;
                }

                string? sender = null;
                await using (var sent = tx.Command("SELECT client_uri FROM sent_messages WHERE hash = @h"))
                {
                    sender = await sent.With("h", item.MessageHash).ExecuteScalarAsync(ct) as string;
                }

                var locals = new List<string>();
                await using (var query = tx.Command("SELECT client_uri FROM room_members WHERE room_id = @r ORDER BY client_uri"))
                await using (var reader = await query.With("r", roomId).ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        locals.Add(reader.GetString(0));
                    }
                }

                foreach (var client in locals.Where(c => c != sender))
                {
                    await DeliverAsync(tx, new InboxDelivery(client, item.Kind, roomId, item.Message, null), now, ct);
                    notified.Add(client);
                }
            }

            return notified;
        }, ct);

    /// <summary>Remembers that a local client sent this message (by hash) through the hub, so its echo is not delivered back to it.</summary>
    public Task RecordSentAsync(string messageHash, string clientUri, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var insert = tx.Command("INSERT INTO sent_messages (hash, client_uri, created_at) VALUES (@h, @c, @t) ON CONFLICT (hash) DO NOTHING");
        return await insert.With("h", messageHash).With("c", clientUri).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>Adds a local member to a room this instance follows (a Welcome delivered on the hub's own instance).</summary>
    public Task AddMembersAsync(string roomId, IReadOnlyList<RoomMember> members, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        foreach (var member in members)
        {
            await AddMemberAsync(tx, roomId, member, now, ct);
        }

        return 0;
    }, ct);

    /// <summary>Records that the hub handed <paramref name="grant"/>'s client the room's GroupInfo, until <paramref name="expiresAt"/> (a newer grant replaces it).</summary>
    public Task GrantGroupInfoAsync(GroupInfoGrant grant, DateTimeOffset expiresAt, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var upsert = tx.Command("""
            INSERT INTO group_info_grants (room_id, signature_key, client_uri, domain, expires_at) VALUES (@r, @k, @c, @d, @e)
            ON CONFLICT (room_id, client_uri) DO UPDATE SET signature_key = excluded.signature_key, domain = excluded.domain, expires_at = excluded.expires_at
            """);
        return await upsert.With("r", grant.RoomId).With("k", grant.SignatureKey).With("c", grant.ClientUri).With("d", grant.Domain)
            .With("e", StoredTime.From(expiresAt)).ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>The live grant of <paramref name="clientUri"/> for the room, if any.</summary>
    public Task<GroupInfoGrant?> FindGroupInfoGrantAsync(string roomId, string clientUri, DateTimeOffset now, CancellationToken ct) => database.ReadAsync<GroupInfoGrant?>(async c =>
    {
        await using var query = c.Command("SELECT domain, signature_key FROM group_info_grants WHERE room_id = @r AND client_uri = @c AND expires_at > @n");
        await using var reader = await query.With("r", roomId).With("c", clientUri).With("n", StoredTime.From(now)).ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new GroupInfoGrant(roomId, clientUri, reader.GetString(0), reader.GetBytes(1)) : null;
    }, ct);

    private static async Task ReplaceMembersAsync(DbTransaction tx, string roomId, List<RoomMember> current, IReadOnlyList<RoomMember> roster, DateTimeOffset now,
        CancellationToken ct)
    {
        var keep = roster.Select(m => m.ClientUri).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in current.Where(m => !keep.Contains(m.ClientUri)))
        {
            await using var delete = tx.Command("DELETE FROM room_members WHERE room_id = @r AND client_uri = @c");
            await delete.With("r", roomId).With("c", gone.ClientUri).ExecuteNonQueryAsync(ct);
        }

        foreach (var member in roster)
        {
            await AddMemberAsync(tx, roomId, member, now, ct);
        }
    }

    private static async Task AddMemberAsync(DbTransaction tx, string roomId, RoomMember member, DateTimeOffset now, CancellationToken ct)
    {
        await using var insert = tx.Command("""
            INSERT INTO room_members (room_id, client_uri, domain, joined_at) VALUES (@r, @c, @d, @t) ON CONFLICT (room_id, client_uri) DO NOTHING
            """);
        await insert.With("r", roomId).With("c", member.ClientUri).With("d", member.Domain).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
    }

    private static async Task DeliverAsync(DbTransaction tx, InboxDelivery d, DateTimeOffset now, CancellationToken ct)
    {
        var (target, requester) = (d.TargetUser, d.RequesterUser);
        if (d.Hold)
        {
            await using var hold = tx.Command("""
                INSERT INTO held_rooms (room_id, client_uri, target_user, requester_user) VALUES (@r, @c, @u, @q) ON CONFLICT (room_id, client_uri) DO NOTHING
                """);
            await hold.With("r", d.RoomId).With("c", d.ClientUri).With("u", target).With("q", requester).ExecuteNonQueryAsync(ct);
        }
        else
        {
            await using var held = tx.Command("SELECT target_user, requester_user FROM held_rooms WHERE room_id = @r AND client_uri = @c");
            await using var reader = await held.With("r", d.RoomId).With("c", d.ClientUri).ExecuteReaderAsync(ct);
            (target, requester) = await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetString(1)) : (null, null);
        }

        if (target is not null && requester is not null)
        {
            await using var quarantine = tx.Command("""
                INSERT INTO quarantine (client_uri, target_user, requester_user, kind, room_id, message, ratchet_tree, created_at)
                VALUES (@c, @u, @q, @k, @r, @m, @rt, @t)
                """);
            await quarantine.With("c", d.ClientUri).With("u", target).With("q", requester).With("k", (long)d.Kind).With("r", d.RoomId).With("m", d.Message)
                .With("rt", d.RatchetTree).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
            return;
        }

        await InsertInboxAsync(tx, d.ClientUri, d.Kind, d.RoomId, d.Message, d.RatchetTree, now, ct);
    }

    private static async Task InsertInboxAsync(DbTransaction tx, string client, InboxKind kind, string roomId, byte[] message, byte[]? tree, DateTimeOffset now,
        CancellationToken ct)
    {
        // The head's row lock is held until commit: a client's numbers are handed out, and become visible, in order.
        await using var next = tx.Command("""
            INSERT INTO inbox_heads (client_uri, last_seq) VALUES (@c, 1)
            ON CONFLICT (client_uri) DO UPDATE SET last_seq = inbox_heads.last_seq + 1 RETURNING last_seq
            """);
        var seq = Convert.ToInt64(await next.With("c", client).ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        await using var insert = tx.Command("""
            INSERT INTO inbox (client_uri, client_seq, kind, room_id, message, ratchet_tree, created_at) VALUES (@c, @s, @k, @r, @m, @rt, @t)
            """);
        await insert.With("c", client).With("s", seq).With("k", (long)kind).With("r", roomId).With("m", message).With("rt", tree)
            .With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Releases what quarantine holds for (<paramref name="targetUser"/>, <paramref name="requesterUser"/>) into the
    /// inboxes, in arrival order, and stops holding those rooms. Returns the clients whose inbox grew.
    /// </summary>
    public Task<IReadOnlyList<string>> ReleaseAsync(string targetUser, string requesterUser, DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync<IReadOnlyList<string>>(async tx =>
        {
            var held = new List<(long Seq, string Client, InboxKind Kind, string Room, byte[] Message, byte[]? Tree)>();
            await using (var query = tx.Command("""
                SELECT seq, client_uri, kind, room_id, message, ratchet_tree FROM quarantine WHERE target_user = @u AND requester_user = @q ORDER BY seq
                """))
            await using (var reader = await query.With("u", targetUser).With("q", requesterUser).ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    held.Add((reader.GetInt64(0), reader.GetString(1), (InboxKind)reader.GetInt64(2), reader.GetString(3), reader.GetBytes(4), reader.GetNullableBytes(5)));
                }
            }

            foreach (var item in held)
            {
                await InsertInboxAsync(tx, item.Client, item.Kind, item.Room, item.Message, item.Tree, now, ct);
            }

            await using (var delete = tx.Command("DELETE FROM quarantine WHERE target_user = @u AND requester_user = @q"))
            {
                await delete.With("u", targetUser).With("q", requesterUser).ExecuteNonQueryAsync(ct);
            }

            await using (var unhold = tx.Command("DELETE FROM held_rooms WHERE target_user = @u AND requester_user = @q"))
            {
                await unhold.With("u", targetUser).With("q", requesterUser).ExecuteNonQueryAsync(ct);
            }

            return held.Select(h => h.Client).Distinct(StringComparer.Ordinal).ToList();
        }, ct);

    /// <summary>How many items quarantine holds for a client.</summary>
    public Task<long> CountHeldAsync(string clientUri, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT COUNT(*) FROM quarantine WHERE client_uri = @c");
        return Convert.ToInt64(await query.With("c", clientUri).ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }, ct);

    /// <summary>A client's inbox items after <paramref name="after"/>, oldest first.</summary>
    public Task<IReadOnlyList<InboxItem>> ReadInboxAsync(string clientUri, long after, int limit, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<InboxItem>>(async c =>
        {
            await using var query = c.Command("""
                SELECT client_seq, kind, room_id, message, ratchet_tree, created_at FROM inbox WHERE client_uri = @c AND client_seq > @a ORDER BY client_seq LIMIT @l
                """);
            await using var reader = await query.With("c", clientUri).With("a", after).With("l", (long)limit).ExecuteReaderAsync(ct);
            var list = new List<InboxItem>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(new InboxItem(reader.GetInt64(0), (InboxKind)reader.GetInt64(1), reader.GetString(2), reader.GetBytes(3), reader.GetNullableBytes(4),
                    StoredTime.To(reader.GetInt64(5))));
            }

            return list;
        }, ct);

    /// <summary>Deletes a client's inbox items up to and including <paramref name="upTo"/>; returns how many.</summary>
    public Task<int> AckAsync(string clientUri, long upTo, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var delete = tx.Command("DELETE FROM inbox WHERE client_uri = @c AND client_seq <= @s");
        return await delete.With("c", clientUri).With("s", upTo).ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>Sets whether a hosted user answers identifier queries; false when the user is unknown.</summary>
    public Task<bool> SetDiscoverableAsync(string userUri, bool discoverable, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var update = tx.Command("UPDATE hosted_users SET discoverable = @d WHERE user_uri = @u AND deleted_at IS NULL");
        return await update.With("d", discoverable ? 1L : 0L).With("u", userUri).ExecuteNonQueryAsync(ct) == 1;
    }, ct);

    /// <summary>Whether a hosted user exists and is discoverable.</summary>
    public Task<bool> IsDiscoverableAsync(string userUri, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT 1 FROM hosted_users WHERE user_uri = @u AND deleted_at IS NULL AND discoverable = 1");
        return await query.With("u", userUri).ExecuteScalarAsync(ct) is not null;
    }, ct);
}
