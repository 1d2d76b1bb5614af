using System.Data.Common;

namespace Mimi.Discovery.Storage;

/// <summary>
/// Rooms as the delivery core keeps them: the rooms this instance hosts (epoch, public group state, latest GroupInfo and
/// ratchet tree, the hub's acceptance of each message and its GroupInfo grants), the public group state of the rooms it
/// follows, the members of every room it hosts or follows and the clients removed from them. Every multi-step change is
/// one transaction, with its inbox deliveries and outbox messages in it.
/// </summary>
public sealed class RoomStore(MimiDatabase database)
{
    /// <summary>Creates a hosted room with its group state and first members; false when the room id is taken.</summary>
    public Task<bool> TryCreateRoomAsync(NewRoom room, DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            await using (var insert = tx.Command("""
                INSERT INTO rooms (room_id, group_id, epoch, group_info, ratchet_tree, state, state_seq, created_at) VALUES (@r, @g, @e, @gi, @rt, @s, 1, @t)
                ON CONFLICT (room_id) DO NOTHING
                """))
            {
                if (await insert.With("r", room.RoomId).With("g", room.GroupId).With("e", (long)room.Epoch).With("gi", room.GroupInfo).With("rt", room.RatchetTree)
                    .With("s", room.State).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct) == 0)
                {
                    return false;
                }
            }

            foreach (var member in room.Members)
            {
                await AddMemberAsync(tx, room.RoomId, member, now, ct);
            }

            return true;
        }, ct);

    /// <summary>A hosted room, or null.</summary>
    public Task<HostedRoom?> FindRoomAsync(string roomId, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT room_id, group_id, epoch, group_info, ratchet_tree, created_at, state, state_seq FROM rooms WHERE room_id = @r");
        await using var reader = await query.With("r", roomId).ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new HostedRoom(reader.GetString(0), reader.GetBytes(1), (ulong)reader.GetInt64(2), reader.GetNullableBytes(3), reader.GetNullableBytes(4),
                StoredTime.To(reader.GetInt64(5)), reader.GetNullableBytes(6), reader.GetInt64(7))
            : null;
    }, ct);

    /// <summary>The public group state this instance keeps for a room it follows, or null before its first local member joined.</summary>
    public Task<FollowedRoom?> FindFollowedRoomAsync(string roomId, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT state, state_seq FROM followed_rooms WHERE room_id = @r");
        await using var reader = await query.With("r", roomId).ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new FollowedRoom(roomId, reader.GetBytes(0), reader.GetInt64(1)) : null;
    }, ct);

    /// <summary>The epoch at which <paramref name="clientUri"/> was removed from the room, or null if it never was (or joined again since).</summary>
    public Task<ulong?> FindRemovalAsync(string roomId, string clientUri, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT epoch FROM removed_members WHERE room_id = @r AND client_uri = @c");
        return await query.With("r", roomId).With("c", clientUri).ExecuteScalarAsync(ct) is { } epoch
            ? (ulong?)Convert.ToInt64(epoch, System.Globalization.CultureInfo.InvariantCulture)
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
    /// of two commits for one epoch exactly one advances it; the other gets the current epoch back. With a state, the
    /// update is also conditional on the state's sequence number: of two changes computed from one state, one lands.
    /// </summary>
    public Task<HubOutcome> AcceptAsync(HubAcceptance a, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        var epoch = (long)a.Epoch;
        var sets = (!a.AdvanceEpoch ? "epoch = epoch"
            : "epoch = epoch + 1" + (a.GroupInfo is null ? "" : ", group_info = @gi") + (a.RatchetTree is null ? "" : ", ratchet_tree = @rt"))
            + (a.State is null ? "" : ", state = @s, state_seq = state_seq + 1");
        await using (var update = tx.Command($"UPDATE rooms SET {sets} WHERE room_id = @r AND epoch = @e{(a.State is null ? "" : " AND state_seq = @v")}"))
        {
            if (a.State is not null)
            {
                update.With("s", a.State).With("v", a.StateSeq);
            }

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
                await InboxStore.DeliverAsync(tx, new InboxDelivery(member.ClientUri, a.Kind, a.RoomId, a.Message, null)
                {
                    Frank = a.Frank,
                    AcceptedTimestamp = a.AcceptedTimestamp,
                }, now, ct);
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
            var keep = roster.Select(m => m.ClientUri).ToHashSet(StringComparer.Ordinal);
            await RemoveMembersAsync(tx, a.RoomId, members.Select(m => m.ClientUri).Where(c => !keep.Contains(c)), a.Epoch + 1, now, ct);
            foreach (var member in roster)
            {
                await AddMemberAsync(tx, a.RoomId, member, now, ct);
            }
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
            await InboxStore.DeliverAsync(tx, welcome, now, ct);
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
    /// this provider; returns the clients whose inbox grew (none for a duplicate). When <paramref name="state"/> is given
    /// it writes the room's followed state with it, unless the stored state changed since it was read (then nothing is
    /// applied: <see cref="NotifyOutcome.StateConflict"/>). A commit item's <see cref="NotifyItem.Roster"/> removes the
    /// local members it no longer names, after the commit reached them.
    /// </summary>
    public Task<NotifyOutcome> ApplyNotifyAsync(string source, string messageId, string roomId, IReadOnlyList<NotifyItem> items, FollowedStateWrite? state,
        DateTimeOffset now, CancellationToken ct) => database.WriteAsync(async tx =>
        {
            if (state is not null && !await WriteFollowedStateAsync(tx, roomId, state, now, ct))
            {
                return new NotifyOutcome(true, []);
            }

            // A duplicate's state is the stored one again: the follower computed it skipping what was already applied.
            if (!await InboundMessageStore.TryRecordAsync(tx, source, messageId, now, ct))
            {
                return new NotifyOutcome(false, []);
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
                        await InboxStore.DeliverAsync(tx, welcome, now, ct);
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
                    await InboxStore.DeliverAsync(tx, new InboxDelivery(client, item.Kind, roomId, item.Message, null)
                    {
                        Frank = item.Frank,
                        AcceptedTimestamp = item.AcceptedTimestamp,
                    }, now, ct);
                    notified.Add(client);
                }

                if (item.Roster is { } roster)
                {
                    await RemoveMembersAsync(tx, roomId, locals.Where(c => !roster.Contains(c)), item.Epoch, now, ct);
                }
            }

            return new NotifyOutcome(false, notified);
        }, ct);

    private static async Task<bool> WriteFollowedStateAsync(DbTransaction tx, string roomId, FollowedStateWrite state, DateTimeOffset now, CancellationToken ct)
    {
        // Conditional writes: a state computed from another than the stored one changes nothing (and nothing else is written).
        await using var write = tx.Command(state.ExpectedSeq is null
            ? "INSERT INTO followed_rooms (room_id, state, state_seq, updated_at) VALUES (@r, @s, 1, @t) ON CONFLICT (room_id) DO NOTHING"
            : "UPDATE followed_rooms SET state = @s, state_seq = state_seq + 1, updated_at = @t WHERE room_id = @r AND state_seq = @v");
        write.With("r", roomId).With("s", state.State).With("t", StoredTime.From(now));
        if (state.ExpectedSeq is { } expected)
        {
            write.With("v", expected);
        }

        return await write.ExecuteNonQueryAsync(ct) == 1;
    }

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

    /// <summary>Deletes the memberships of <paramref name="clients"/> and records each removal at <paramref name="epoch"/>.</summary>
    private static async Task RemoveMembersAsync(DbTransaction tx, string roomId, IEnumerable<string> clients, ulong epoch, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var client in clients.ToList())
        {
            await using (var delete = tx.Command("DELETE FROM room_members WHERE room_id = @r AND client_uri = @c"))
            {
                await delete.With("r", roomId).With("c", client).ExecuteNonQueryAsync(ct);
            }

            await using var removal = tx.Command("""
                INSERT INTO removed_members (room_id, client_uri, epoch, removed_at) VALUES (@r, @c, @e, @t)
                ON CONFLICT (room_id, client_uri) DO UPDATE SET epoch = excluded.epoch, removed_at = excluded.removed_at
                """);
            await removal.With("r", roomId).With("c", client).With("e", (long)epoch).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task AddMemberAsync(DbTransaction tx, string roomId, RoomMember member, DateTimeOffset now, CancellationToken ct)
    {
        await using (var insert = tx.Command("""
            INSERT INTO room_members (room_id, client_uri, domain, joined_at) VALUES (@r, @c, @d, @t) ON CONFLICT (room_id, client_uri) DO NOTHING
            """))
        {
            if (await insert.With("r", roomId).With("c", member.ClientUri).With("d", member.Domain).With("t", StoredTime.From(now)).ExecuteNonQueryAsync(ct) == 0)
            {
                return;
            }
        }

        // A client that joins again is a member, no longer a removed one.
        await using var rejoined = tx.Command("DELETE FROM removed_members WHERE room_id = @r AND client_uri = @c");
        await rejoined.With("r", roomId).With("c", member.ClientUri).ExecuteNonQueryAsync(ct);
    }
}
