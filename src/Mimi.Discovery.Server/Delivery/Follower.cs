using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Model;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Peers;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// A follower's side of <c>notify</c>: Welcomes go to the local clients whose KeyPackages they use (held in quarantine
/// when the target has not accepted the requester), other messages to the room's local members — each notify once per
/// message id.
/// <para>
/// The follower keeps the room's public group state itself and applies every proposal and commit the hub notifies
/// to it, with the same checks the hub makes (no attachments: the hub does not forward them). A local client the
/// follower's own tree no longer has is removed once the commit that removed it is delivered to it, so it gets nothing
/// after its removal. A notify that does not follow from the state — one that skips an epoch, or a commit or proposal
/// that fails a check — is refused whole and nothing of it is delivered: only a buggy or forged hub sends one.
/// Handshake messages of an epoch older than the state are already in it (a retry, or ones sent before the state was
/// fetched) and are only delivered.
/// </para>
/// <para>
/// Bootstrap: the follower has no state until a local client joins, and a Welcome cannot give it one (its GroupContext
/// is encrypted to the new members). So when a Welcome reaches a local client of a room it holds no state for (or a
/// handshake message reaches a room it has local members in but no state, as after an upgrade), it fetches the room's
/// GroupInfo, ratchet tree and pending proposals from the hub (<c>roomState</c>, allowed only for a provider hosting a
/// member) and trusts them only once they verify as at room creation: the GroupInfo signed by the member its signer
/// names, the tree's hash the GroupInfo's, the tree's parent hashes and leaves valid.
/// </para>
/// </summary>
internal sealed partial class Follower(
    RoomStore store, WelcomeRouter welcomes, InboxSignals signals, PeerClient peers, IOptions<DeliveryOptions> options, DeliveryMetrics metrics,
    TimeProvider time, ILogger<Follower> logger)
{
    private const int MaxStateAttempts = 5;

    /// <summary>Applies a notify; null when it was applied (or was a duplicate), else the problem to answer the hub.</summary>
    public async Task<ProblemHttpResult?> ApplyAsync(string source, string messageId, string roomId, ValueArray<FanoutMessage> messages, CancellationToken ct)
    {
        // Application messages need no state; reading and decoding it is for notifies that carry handshakes or Welcomes.
        var stateful = messages.Any(m => m.Message.Welcome is not null || m.Message.ContentType is MlsContentType.Commit or MlsContentType.Proposal);
        for (var attempt = 1; ; attempt++)
        {
            var followed = stateful ? await store.FindFollowedRoomAsync(roomId, ct) : null;
            var pass = new Pass(source, roomId, followed is null ? null : Decode(followed));
            var items = new List<NotifyItem>(messages.Count);
            foreach (var fanout in messages)
            {
                var (item, problem) = await ItemAsync(pass, fanout, ct);
                if (problem is not null)
                {
                    return problem;
                }

                items.Add(item!);
            }

            var write = pass.Changed ? new FollowedStateWrite(pass.State!.Encode(), followed?.StateSeq) : null;
            var outcome = await store.ApplyNotifyAsync(source, messageId, roomId, items, write, time.GetUtcNow(), ct);
            if (!outcome.StateConflict)
            {
                signals.Notify(outcome.Notified);
                LogApplied(logger, messages.Count, roomId, source, outcome.Notified.Count);
                return null;
            }

            if (attempt == MaxStateAttempts)
            {
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, ProblemKinds.StorageUnavailable, "The room's state is busy.",
                    $"The state of '{roomId}' changed {attempt} times while this notify was applied; send it again.");
            }
        }
    }

    private static MlsPublicGroupState Decode(FollowedRoom followed) =>
        MlsPublicGroupState.TryDecode(followed.State, out var state, out var error)
            ? state
            : throw new InvalidOperationException($"The stored group state of {followed.RoomId} does not decode: {error.Message}");

    /// <summary>Fetches the room's state from its hub (<c>roomState</c>) and verifies it; a problem when it cannot be had or does not verify.</summary>
    private async Task<(MlsPublicGroupState? State, ProblemHttpResult? Problem)> FetchAsync(string hub, string roomId, CancellationToken ct)
    {
        var response = await peers.SendAsync(hub, MimiEndpoint.RoomState, roomId, [], null, ct);
        if (response.Outcome != PeerOutcome.Accepted)
        {
            // The notify is retried by the hub's outbox; the state is fetched again then.
            LogFetchFailed(logger, roomId, hub, response.Error ?? $"status {response.Status}");
            return (null, Problems.Create(StatusCodes.Status503ServiceUnavailable, ProblemKinds.PeerUnavailable, "The room's state could not be fetched from its hub.",
                $"roomState of '{roomId}' at {hub}: {response.Error ?? $"status {response.Status}"}"));
        }

        if (!GroupInfoRatchetTreeTbe.TryDecode(response.Body, out var current, out var error))
        {
            return (null, Refuse(roomId, hub, MlsGroupChecks.Name(MlsGroupCheck.Decoding), $"The hub's roomState answer does not decode: {error.Message}"));
        }

        if (current.RatchetTreeOption is not { Representation: RatchetTreeRepresentation.Full } tree)
        {
            return (null, Refuse(roomId, hub, MlsGroupChecks.Name(MlsGroupCheck.Decoding), "The hub's roomState answer carries no full ratchet tree."));
        }

        var now = time.GetUtcNow();
        if (!MlsPublicGroupState.TryCreate(current.GroupInfo, tree.RatchetTree.Span, now, out var state, out var refusal))
        {
            return (null, Refuse(roomId, hub, MlsGroupChecks.Name(refusal.Check), "The hub's roomState does not verify: " + refusal.Detail));
        }

        foreach (var pending in current.PendingProposals)
        {
            if (!state.TryApplyProposal(pending.Proposal, pending.HubAcceptedTime, now, out var next, out refusal))
            {
                return (null, Refuse(roomId, hub, MlsGroupChecks.Name(refusal.Check), "A pending proposal of the hub's roomState does not verify: " + refusal.Detail));
            }

            state = next;
        }

        LogBootstrapped(logger, roomId, hub, state.Context.Epoch);
        return (state, null);
    }

    private ProblemHttpResult Refuse(string roomId, string hub, string check, string detail)
    {
        metrics.FollowerRefused(check);
        LogRefused(logger, roomId, hub, check, detail);
        return ClientDeliveryApi.MlsRefusal($"{check}: {detail}", check);
    }

    private ProblemHttpResult Refuse(Pass pass, string check, string detail) => Refuse(pass.RoomId, pass.Hub, check, detail);

    private async Task<(NotifyItem? Item, ProblemHttpResult? Problem)> ItemAsync(Pass pass, FanoutMessage fanout, CancellationToken ct)
    {
        var message = fanout.Message;
        var hash = Hub.Hash(message.Encoded.Span);
        if (message.Welcome is { } welcome)
        {
            return await WelcomeAsync(pass, fanout, welcome, hash, ct);
        }

        var kind = message.ContentType == MlsContentType.Application ? InboxKind.Application : InboxKind.Handshake;
        var item = new NotifyItem(kind, message.Encoded.ToArray(), hash, null, null);
        if (kind == InboxKind.Application)
        {
            // The receivers need the hub's frank and its accepted timestamp to verify the frank and to report the message.
            return (item with { Frank = fanout.Frank?.Encode(), AcceptedTimestamp = fanout.Timestamp }, null);
        }

        if (pass.State is null)
        {
            // Nobody here to deliver to yet (the commit that adds this provider's first client comes before its Welcome).
            if ((await store.ListMembersAsync(pass.RoomId, ct)).Count == 0)
            {
                return (item, null);
            }

            if (await EnsureStateAsync(pass, ct) is { } unavailable)
            {
                return (null, unavailable);
            }
        }

        return Apply(pass, fanout, item);
    }

    private (NotifyItem? Item, ProblemHttpResult? Problem) Apply(Pass pass, FanoutMessage fanout, NotifyItem item)
    {
        var message = fanout.Message;
        var state = pass.State!;
        var current = state.Context.Epoch;
        var epoch = message.Epoch ?? 0;
        if (epoch < current)
        {
            return (item, null);
        }

        if (epoch > current)
        {
            return (null, Refuse(pass, MlsGroupChecks.Name(MlsGroupCheck.Epoch),
                $"The notify's {message.ContentType} is of epoch {epoch}; this follower's state is at epoch {current}: the notify skips an epoch."));
        }

        // The hub's acceptance time is the time of the checks (a KeyPackage's lifetime), however late the notify arrives.
        var at = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(fanout.Timestamp, (ulong)long.MaxValue));
        MlsPublicGroupState? next;
        MlsGroupRefusal refusal;
        if (message.ContentType == MlsContentType.Commit)
        {
            state.TryApplyCommit(message, new MlsCommitAttachments(null, null), at, out next, out refusal);
        }
        else if (state.PendingProposals.Any(p => p.Message.Encoded.Equals(message.Encoded)))
        {
            return (item, null);
        }
        else
        {
            state.TryApplyProposal(message, fanout.Timestamp, at, out next, out refusal);
        }

        if (next is null)
        {
            return (null, Refuse(pass, MlsGroupChecks.Name(refusal.Check), refusal.Detail));
        }

        pass.State = next;
        pass.Changed = true;
        return message.ContentType == MlsContentType.Commit
            ? (item with { Roster = RoomRoster.ClientsOf(next), Epoch = next.Context.Epoch }, null)
            : (item, null);
    }

    private async Task<(NotifyItem? Item, ProblemHttpResult? Problem)> WelcomeAsync(Pass pass, FanoutMessage fanout, MlsWelcome welcome, string hash, CancellationToken ct)
    {
        var message = fanout.Message;
        var own = options.Value.HostedDomain;
        var routes = (await welcomes.RouteAsync(pass.RoomId, welcome, ct)).Where(r => r.Domain == own).ToList();
        if (routes.Count > 0 && pass.State is null && await EnsureStateAsync(pass, ct) is { } unavailable)
        {
            return (null, unavailable);
        }

        // A Welcome makes a local client a member only if the follower's own tree has it.
        if (pass.State is { } state)
        {
            var members = RoomRoster.ClientsOf(state);
            routes = routes.Where(r => members.Contains(r.ClientUri)).ToList();
        }

        var tree = fanout.RatchetTreeOption is { Representation: RatchetTreeRepresentation.Full } option ? option.RatchetTree.ToArray() : null;
        var deliveries = new List<InboxDelivery>(routes.Count);
        foreach (var route in routes)
        {
            deliveries.Add(await welcomes.DeliveryAsync(route, pass.RoomId, message.Encoded.ToArray(), tree, ct));
        }

        if (routes.Count == 0)
        {
            LogUnrouted(logger, pass.RoomId, pass.Hub);
        }

        return (new NotifyItem(InboxKind.Welcome, message.Encoded.ToArray(), hash, deliveries, routes.Select(r => new RoomMember(r.ClientUri, r.Domain)).ToList()), null);
    }

    private async Task<ProblemHttpResult?> EnsureStateAsync(Pass pass, CancellationToken ct)
    {
        var (fetched, problem) = await FetchAsync(pass.Hub, pass.RoomId, ct);
        pass.State = fetched;
        pass.Changed = fetched is not null;
        return problem;
    }

    /// <summary>One attempt at a notify: the room's state as its messages change it.</summary>
    private sealed class Pass(string hub, string roomId, MlsPublicGroupState? state)
    {
        public string Hub { get; } = hub;

        public string RoomId { get; } = roomId;

        public MlsPublicGroupState? State { get; set; } = state;

        /// <summary>Whether <see cref="State"/> differs from the stored one (fetched, or a message applied).</summary>
        public bool Changed { get; set; }
    }

    [LoggerMessage(EventId = 6060, Level = LogLevel.Debug, Message = "Notify of {Count} message(s) for {Room} from {Source} reached {Clients} inbox(es)")]
    private static partial void LogApplied(ILogger logger, int count, string room, string source, int clients);

    [LoggerMessage(EventId = 6061, Level = LogLevel.Warning, Message = "A Welcome for {Room} from {Source} names no KeyPackage claimed here or no leaf of the follower's tree; dropped")]
    private static partial void LogUnrouted(ILogger logger, string room, string source);

    [LoggerMessage(EventId = 6062, Level = LogLevel.Warning, Message = "Follower refused a notify for {Room} from {Source} (a hub bug or a forged hub): {Check}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string room, string source, string check, string detail);

    [LoggerMessage(EventId = 6063, Level = LogLevel.Information, Message = "Follower verified the state of {Room} from its hub {Hub} at epoch {Epoch}")]
    private static partial void LogBootstrapped(ILogger logger, string room, string hub, ulong epoch);

    [LoggerMessage(EventId = 6064, Level = LogLevel.Information, Message = "Follower could not fetch the state of {Room} from its hub {Hub}: {Error}")]
    private static partial void LogFetchFailed(ILogger logger, string room, string hub, string error);
}
