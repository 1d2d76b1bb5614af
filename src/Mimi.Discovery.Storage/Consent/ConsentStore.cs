using System.Data.Common;
using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>
/// Consent between users of this provider and others: requests received for hosted users (with their blocks and the
/// accounting of undecided requests), requests hosted users sent and how they stand. Changes that
/// notify a peer enqueue the MIMI request in the same transaction (at-least-once delivery); changes received from a
/// peer record its message id in the same transaction (processed once).
/// </summary>
public sealed class ConsentStore(MimiDatabase database)
{
    // ---- The requester's side -------------------------------------------------------------------------------------

    /// <summary>
    /// A hosted user asks for consent: records it as pending (unless already granted, which stays), and either queues
    /// <paramref name="send"/> for the target's provider or, when the target is hosted here too, applies it at once with
    /// <paramref name="localLimits"/>. Returns the state the requester now sees.
    /// </summary>
    public Task<ConsentState> RequestAsync(ConsentPair pair, DateTimeOffset now, NewOutboxMessage? send, PendingLimits? localLimits, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            var current = await FindOutgoingAsync(tx, pair, ct);
            if (current == ConsentState.Granted)
            {
                return ConsentState.Granted;
            }

            await UpsertOutgoingAsync(tx, pair, ConsentState.Requested, now, resetRequestedAt: true, ct);
            await DispatchAsync(tx, send, now, ct);
            if (localLimits is { } limits)
            {
                await ReceiveAsync(tx, pair, Domain(pair.Requester), cancel: false, limits, now, ct);
            }

            return ConsentState.Requested;
        }, ct);

    /// <summary>A hosted user withdraws a pending request; false when nothing was pending.</summary>
    public Task<bool> CancelAsync(ConsentPair pair, DateTimeOffset now, NewOutboxMessage? send, bool applyLocally, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            if (await FindOutgoingAsync(tx, pair, ct) != ConsentState.Requested)
            {
                return false;
            }

            await UpsertOutgoingAsync(tx, pair, ConsentState.Cancelled, now, resetRequestedAt: false, ct);
            await DispatchAsync(tx, send, now, ct);
            if (applyLocally)
            {
                await ReceiveAsync(tx, pair, Domain(pair.Requester), cancel: true, new PendingLimits(int.MaxValue, int.MaxValue), now, ct);
            }

            return true;
        }, ct);

    /// <summary>
    /// The target's provider says the target granted or revoked (<c>updateConsent</c>). Records it for a hosted
    /// requester; false when <paramref name="messageId"/> from <paramref name="source"/> was processed before.
    /// </summary>
    public Task<bool> ReceiveUpdateAsync(ConsentPair pair, bool granted, string source, string? messageId, DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            if (messageId is not null && !await InboundMessageStore.TryRecordAsync(tx, source, messageId, now, ct))
            {
                return false;
            }

            if (await UserExistsAsync(tx, pair.Requester, ct))
            {
                await UpsertOutgoingAsync(tx, pair, granted ? ConsentState.Granted : ConsentState.Revoked, now, resetRequestedAt: false, ct);
            }

            return true;
        }, ct);

    /// <summary>What <paramref name="requester"/> asked for, newest first.</summary>
    public Task<IReadOnlyList<ConsentRequest>> ListOutgoingAsync(string requester, int limit, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<ConsentRequest>>(async c =>
        {
            await using var query = c.Command("""
                SELECT requester, target, room, state, requested_at, updated_at FROM consent_outgoing
                WHERE requester = @r ORDER BY updated_at DESC, target LIMIT @l
                """);
            return await ReadRequestsAsync(query.With("r", requester).With("l", (long)limit), ct);
        }, ct);

    // ---- The target's side ----------------------------------------------------------------------------------------

    /// <summary>
    /// A request or cancellation from <paramref name="source"/> for a hosted target (<c>requestConsent</c>), processed
    /// once per <paramref name="messageId"/>. Unknown targets, blocked requesters and requests over
    /// <paramref name="limits"/> are dropped; the outcome says which, for the log only.
    /// </summary>
    public Task<IncomingOutcome> ReceiveRequestAsync(ConsentPair pair, bool cancel, PendingLimits limits, string source, string? messageId,
        DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            if (messageId is not null && !await InboundMessageStore.TryRecordAsync(tx, source, messageId, now, ct))
            {
                return IncomingOutcome.Duplicate;
            }

            return await ReceiveAsync(tx, pair, Domain(pair.Requester), cancel, limits, now, ct);
        }, ct);

    /// <summary>The undecided requests to <paramref name="target"/> from requesters it has not blocked, oldest first.</summary>
    public Task<IReadOnlyList<ConsentRequest>> ListPendingAsync(string target, int limit, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<ConsentRequest>>(async c =>
        {
            await using var query = c.Command("""
                SELECT i.requester, i.target, i.room, i.state, i.requested_at, i.updated_at FROM consent_incoming i
                WHERE i.target = @t AND i.state = 0
                  AND NOT EXISTS (SELECT 1 FROM consent_blocks b WHERE b.target = i.target AND (b.blocked = i.requester OR b.blocked = i.requester_domain))
                ORDER BY i.requested_at, i.requester LIMIT @l
                """);
            return await ReadRequestsAsync(query.With("t", target).With("l", (long)limit), ct);
        }, ct);

    /// <summary>
    /// The hosted target decides: <see cref="ConsentState.Granted"/> (accept; also without a request, preemptively),
    /// <see cref="ConsentState.Rejected"/> (a pending request only) or <see cref="ConsentState.Revoked"/>. Queues
    /// <paramref name="send"/> for the requester's provider, or applies the decision to a requester hosted here when
    /// <paramref name="applyLocally"/>.
    /// </summary>
    public Task<DecisionOutcome> DecideAsync(ConsentPair pair, ConsentState decision, DateTimeOffset now, NewOutboxMessage? send, bool applyLocally,
        CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            var current = await FindIncomingAsync(tx, pair, ct);
            var allowed = decision switch
            {
                ConsentState.Granted => true,
                ConsentState.Rejected => current == ConsentState.Requested,
                ConsentState.Revoked => current is not null && current != ConsentState.Revoked,
                _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "A target grants, rejects or revokes."),
            };
            if (!allowed)
            {
                return DecisionOutcome.NotFound;
            }

            await UpsertIncomingAsync(tx, pair, Domain(pair.Requester), decision, now, ct);
            await DispatchAsync(tx, send, now, ct);
            if (applyLocally && decision != ConsentState.Rejected && await UserExistsAsync(tx, pair.Requester, ct))
            {
                await UpsertOutgoingAsync(tx, pair, decision, now, resetRequestedAt: false, ct);
            }

            return DecisionOutcome.Applied;
        }, ct);

    /// <summary>
    /// The hosted target blocks a requester user URI or a whole requester domain: later requests are dropped, the
    /// undecided ones from it are rejected, and the consent gate refuses it.
    /// </summary>
    public Task BlockAsync(string target, string blocked, DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            await using var insert = tx.Command("""
                INSERT INTO consent_blocks (target, blocked, created_at) VALUES (@t, @b, @n) ON CONFLICT (target, blocked) DO NOTHING
                """);
            await insert.With("t", target).With("b", blocked).With("n", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
            await using var reject = tx.Command("""
                UPDATE consent_incoming SET state = 4, updated_at = @n WHERE target = @t AND state = 0 AND (requester = @b OR requester_domain = @b)
                """);
            return await reject.With("t", target).With("b", blocked).With("n", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
        }, ct);

    /// <summary>Lifts a block; false when there was none.</summary>
    public Task<bool> UnblockAsync(string target, string blocked, CancellationToken ct) =>
        database.WriteAsync(async tx =>
        {
            await using var delete = tx.Command("DELETE FROM consent_blocks WHERE target = @t AND blocked = @b");
            return await delete.With("t", target).With("b", blocked).ExecuteNonQueryAsync(ct) == 1;
        }, ct);

    /// <summary>Who <paramref name="target"/> blocked (user URIs and domains), in order.</summary>
    public Task<IReadOnlyList<string>> ListBlocksAsync(string target, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<string>>(async c =>
        {
            await using var query = c.Command("SELECT blocked FROM consent_blocks WHERE target = @t ORDER BY blocked");
            await using var reader = await query.With("t", target).ExecuteReaderAsync(ct);
            var list = new List<string>();
            while (await reader.ReadAsync(ct))
            {
                list.Add(reader.GetString(0));
            }

            return list;
        }, ct);

    /// <summary>The hosted target's mode, whether it blocked the requester, and every record between the two.</summary>
    public Task<ConsentStanding> GetStandingAsync(string requester, string target, CancellationToken ct) =>
        database.ReadAsync(async c =>
        {
            await using var user = c.Command("SELECT consent_mode FROM hosted_users WHERE user_uri = @u AND deleted_at IS NULL");
            if (await user.With("u", target).ExecuteScalarAsync(ct) is not { } mode)
            {
                return new ConsentStanding(null, false, []);
            }

            await using var block = c.Command("SELECT 1 FROM consent_blocks WHERE target = @t AND (blocked = @r OR blocked = @d)");
            var blocked = await block.With("t", target).With("r", requester).With("d", Domain(requester)).ExecuteScalarAsync(ct) is not null;
            await using var query = c.Command("SELECT room, state FROM consent_incoming WHERE requester = @r AND target = @t");
            await using var reader = await query.With("r", requester).With("t", target).ExecuteReaderAsync(ct);
            var records = new List<(string?, ConsentState)>();
            while (await reader.ReadAsync(ct))
            {
                records.Add((ConsentPair.RoomFrom(reader.GetString(0)), (ConsentState)reader.GetInt64(1)));
            }

            return new ConsentStanding((ConsentMode)Convert.ToInt64(mode, System.Globalization.CultureInfo.InvariantCulture), blocked, records);
        }, ct);

    /// <summary>Reads requests selected as (requester, target, room, state, requested_at, updated_at), on either side.</summary>
    private static async Task<IReadOnlyList<ConsentRequest>> ReadRequestsAsync(DbCommand query, CancellationToken ct)
    {
        await using var reader = await query.ExecuteReaderAsync(ct);
        var list = new List<ConsentRequest>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new ConsentRequest(reader.GetString(0), reader.GetString(1), ConsentPair.RoomFrom(reader.GetString(2)),
                (ConsentState)reader.GetInt64(3), StoredTime.To(reader.GetInt64(4)), StoredTime.To(reader.GetInt64(5))));
        }

        return list;
    }

    // ---- Shared steps inside a write transaction ------------------------------------------------------------------

    private static async Task<IncomingOutcome> ReceiveAsync(DbTransaction tx, ConsentPair pair, string requesterDomain, bool cancel, PendingLimits limits,
        DateTimeOffset now, CancellationToken ct)
    {
        if (!await UserExistsAsync(tx, pair.Target, ct))
        {
            return IncomingOutcome.UnknownTarget;
        }

        var current = await FindIncomingAsync(tx, pair, ct);
        if (cancel)
        {
            if (current != ConsentState.Requested)
            {
                return IncomingOutcome.NothingToCancel;
            }

            await UpsertIncomingAsync(tx, pair, requesterDomain, ConsentState.Cancelled, now, ct);
            return IncomingOutcome.Recorded;
        }

        await using (var block = tx.Command("SELECT 1 FROM consent_blocks WHERE target = @t AND (blocked = @r OR blocked = @d)"))
        {
            if (await block.With("t", pair.Target).With("r", pair.Requester).With("d", requesterDomain).ExecuteScalarAsync(ct) is not null)
            {
                return IncomingOutcome.Blocked;
            }
        }

        // A decided pair stays decided: a repeated request neither reopens a rejection or revocation nor undoes a grant.
        if (current is ConsentState.Granted or ConsentState.Rejected or ConsentState.Revoked or ConsentState.Requested)
        {
            return IncomingOutcome.Recorded;
        }

        await using (var count = tx.Command($"""
            SELECT COUNT(*), COALESCE(SUM(CASE WHEN requester_domain = @d THEN 1 ELSE 0 END), 0) FROM consent_incoming
            WHERE target = @t AND state = 0
            """))
        {
            await using var reader = await count.With("t", pair.Target).With("d", requesterDomain).ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (reader.GetInt64(0) >= limits.PerTarget || reader.GetInt64(1) >= limits.PerRequesterDomain)
            {
                return IncomingOutcome.OverLimit;
            }
        }

        await UpsertIncomingAsync(tx, pair, requesterDomain, ConsentState.Requested, now, ct, resetRequestedAt: true);
        return IncomingOutcome.Recorded;
    }

    private static async Task DispatchAsync(DbTransaction tx, NewOutboxMessage? send, DateTimeOffset now, CancellationToken ct)
    {
        if (send is not null)
        {
            await OutboxStore.EnqueueAsync(tx, [send], now, ct);
        }
    }

    private static async Task<bool> UserExistsAsync(DbTransaction tx, string user, CancellationToken ct)
    {
        await using var query = tx.Command("SELECT 1 FROM hosted_users WHERE user_uri = @u AND deleted_at IS NULL");
        return await query.With("u", user).ExecuteScalarAsync(ct) is not null;
    }

    private static async Task<ConsentState?> FindIncomingAsync(DbTransaction tx, ConsentPair pair, CancellationToken ct)
    {
        await using var query = tx.Command("SELECT state FROM consent_incoming WHERE requester = @r AND target = @t AND room = @m");
        return await query.With("r", pair.Requester).With("t", pair.Target).With("m", pair.RoomKey).ExecuteScalarAsync(ct) is { } state
            ? (ConsentState)Convert.ToInt64(state, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    private static async Task<ConsentState?> FindOutgoingAsync(DbTransaction tx, ConsentPair pair, CancellationToken ct)
    {
        await using var query = tx.Command("SELECT state FROM consent_outgoing WHERE requester = @r AND target = @t AND room = @m");
        return await query.With("r", pair.Requester).With("t", pair.Target).With("m", pair.RoomKey).ExecuteScalarAsync(ct) is { } state
            ? (ConsentState)Convert.ToInt64(state, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    private static async Task UpsertIncomingAsync(DbTransaction tx, ConsentPair pair, string requesterDomain, ConsentState state, DateTimeOffset now,
        CancellationToken ct, bool resetRequestedAt = false)
    {
        await using var upsert = tx.Command($"""
            INSERT INTO consent_incoming (requester, target, room, requester_domain, state, requested_at, updated_at) VALUES (@r, @t, @m, @d, @s, @n, @n)
            ON CONFLICT (requester, target, room) DO UPDATE SET state = @s, updated_at = @n{(resetRequestedAt ? ", requested_at = @n" : "")}
            """);
        await upsert.With("r", pair.Requester).With("t", pair.Target).With("m", pair.RoomKey).With("d", requesterDomain).With("s", (long)state)
            .With("n", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
    }

    private static async Task UpsertOutgoingAsync(DbTransaction tx, ConsentPair pair, ConsentState state, DateTimeOffset now, bool resetRequestedAt,
        CancellationToken ct)
    {
        await using var upsert = tx.Command($"""
            INSERT INTO consent_outgoing (requester, target, room, state, requested_at, updated_at) VALUES (@r, @t, @m, @s, @n, @n)
            ON CONFLICT (requester, target, room) DO UPDATE SET state = @s, updated_at = @n{(resetRequestedAt ? ", requested_at = @n" : "")}
            """);
        await upsert.With("r", pair.Requester).With("t", pair.Target).With("m", pair.RoomKey).With("s", (long)state)
            .With("n", StoredTime.From(now)).ExecuteNonQueryAsync(ct);
    }

    /// <summary>The provider domain of a <c>mimi://domain/…</c> URI (the caller has validated it).</summary>
    private static string Domain(string uri)
    {
        var rest = uri.AsSpan("mimi://".Length);
        var slash = rest.IndexOf('/');
        return (slash < 0 ? rest : rest[..slash]).ToString();
    }
}
