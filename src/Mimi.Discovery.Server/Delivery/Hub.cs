using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Model;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Server.Peers;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The hub of the rooms this provider hosts: keeps each room's public MLS group state, checks every proposal and
/// commit against it and orders them one epoch at a time, accepts application messages for the current epoch, and fans
/// everything out — to local members' inboxes directly and to follower providers through the durable outbox
/// (<c>notify</c>). The room's members are the leaves of its own tree; Welcomes are routed to them by the
/// KeyPackageRefs of the Welcome, matched against the claims this provider recorded.
/// </summary>
internal sealed partial class Hub(
    RoomStore store, Outbox outbox, InboxSignals signals, WelcomeRouter welcomes, HubKeys keys, IOptions<DeliveryOptions> options, DeliveryMetrics metrics,
    TimeProvider time, ILogger<Hub> logger)
{
    private string OwnDomain => options.Value.HostedDomain;

    /// <summary>
    /// Accepts a proposal or commit that the room's public group state accepts (RFC 9420 §6, §7, §12: signature, sender,
    /// proposals, UpdatePath, and for a commit the attached GroupInfo and tree), stores the next state with the
    /// acceptance, and fans the message out; a refusal names the check and nothing is fanned out. A change computed
    /// from a state that another message changed meanwhile is computed again from the new one.
    /// </summary>
    public async Task<HubAnswer> UpdateAsync(string roomId, UpdateRequest request, HubSender sender, CancellationToken ct)
    {
        var bundle = request.Bundle;
        var message = bundle.ProposalOrCommit;
        if (message.ContentType is not (MlsContentType.Commit or MlsContentType.Proposal))
        {
            return HubAnswer.Refused(HubStatus.Invalid, $"update carries handshake messages; this one has content type {message.ContentType}.");
        }

        if (message.ContentType == MlsContentType.Proposal && bundle.MoreProposals.Count > 0)
        {
            return HubAnswer.Refused(HubStatus.Invalid, "Send each proposal in its own update (moreProposals is not accepted by this hub).");
        }

        for (var attempt = 1; ; attempt++)
        {
            var (room, refusal, joiner) = await AuthorizeAsync(roomId, message, sender, ct);
            if (room is null)
            {
                return refusal;
            }

            var answer = await TryAcceptAsync(room, bundle, sender, joiner, ct);
            if (answer is { } done)
            {
                return done;
            }

            if (attempt == MaxStateAttempts)
            {
                // Other messages keep changing the state first: answer like a lost race for the epoch.
                return new HubAnswer(HubStatus.WrongEpoch, room.Epoch, 0, $"The room's state changed {attempt} times while this message was checked; send it again.");
            }
        }
    }

    private const int MaxStateAttempts = 5;

    /// <summary>The answer, or null when the room's state changed between reading it and writing the next one.</summary>
    private async Task<HubAnswer?> TryAcceptAsync(HostedRoom room, HandshakeBundle bundle, HubSender sender, GroupInfoGrant? joiner, CancellationToken ct)
    {
        var roomId = room.RoomId;
        var message = bundle.ProposalOrCommit;
        var epoch = message.Epoch!.Value;
        if (epoch != room.Epoch)
        {
            return Finish(roomId, new HubOutcome(false, room.Epoch, []), 0, message.ContentType == MlsContentType.Commit ? "commit" : "proposal", epoch);
        }

        var now = time.GetUtcNow();
        if (RoomRoster.OfHostedRoom(room, now) is not { } state)
        {
            return HubAnswer.Refused(HubStatus.Invalid, "The room has no MLS group state (it was created before the hub kept one, and without a GroupInfo); create it again.");
        }

        var isCommit = message.ContentType == MlsContentType.Commit;
        var timestamp = (ulong)now.ToUnixTimeMilliseconds();
        MlsGroupInfo? groupInfo = null;
        MlsPublicGroupState? next;
        MlsGroupRefusal check;
        if (isCommit)
        {
            if (bundle.GroupInfoOption is not { Representation: GroupInfoRepresentation.Full, GroupInfo: { } full })
            {
                return HubAnswer.Refused(HubStatus.Invalid, "This hub serves the GroupInfo of each epoch: send the commit's GroupInfo in full (a partial one is not supported).");
            }

            groupInfo = full;
            var attached = bundle.RatchetTreeOption is { Representation: RatchetTreeRepresentation.Full } option ? option.RatchetTree.ToArray() : null;
            state.TryApplyCommit(message, new MlsCommitAttachments(groupInfo, attached), now, out next, out check);
        }
        else
        {
            state.TryApplyProposal(message, timestamp, now, out next, out check);
        }

        if (next is null)
        {
            var name = MlsGroupChecks.Name(check.Check);
            metrics.HubRefused(isCommit, name);
            LogMlsRefused(logger, isCommit ? "commit" : "proposal", roomId, epoch, name, check.Detail);
            return new HubAnswer(HubStatus.MlsRefused, room.Epoch, 0, $"{name}: {check.Detail}")
            {
                Check = name,
                InvalidProposals = !isCommit && message.TryComputeProposalRef(state.Context.CipherSuite, out var reference) ? ValueArray.Create(reference) : default,
            };
        }

        var notifyBody = new FanoutMessage(timestamp, message, null, null, default, default).Encode();
        var localWelcomes = new List<InboxDelivery>();
        var remoteWelcomes = new List<FollowerNotify>();
        List<RoomMember>? roster = null;
        byte[]? tree = null;
        if (isCommit)
        {
            roster = RoomRoster.Of(next);
            tree = next.Tree.EncodeContents();
            if (bundle.Welcome is { } welcome)
            {
                await RouteWelcomeAsync(roomId, welcome, roster, tree, timestamp, localWelcomes, remoteWelcomes, ct);
            }
        }

        var outcome = await store.AcceptAsync(new HubAcceptance(roomId, OwnDomain, epoch, isCommit, groupInfo?.Encoded.ToArray(), tree, sender.ClientUri,
            InboxKind.Handshake, message.Encoded.ToArray(), notifyBody, [], localWelcomes, remoteWelcomes)
        {
            Roster = roster,
            ConsumedGrant = joiner?.ClientUri,
            State = next.Encode(),
            StateSeq = room.StateSeq,
        }, now, ct);
        return !outcome.Accepted && outcome.CurrentEpoch == epoch ? null : Finish(roomId, outcome, timestamp, isCommit ? "commit" : "proposal", epoch);
    }

    /// <summary>
    /// Routes a commit's Welcome by the claims recorded here, to the new members the hub's own tree has: a claim for a
    /// client that is not a leaf of the new tree is not routed. The Welcome travels with the hub's tree.
    /// </summary>
    private async Task RouteWelcomeAsync(string roomId, MlsWelcome welcome, List<RoomMember> roster, byte[] tree, ulong timestamp,
        List<InboxDelivery> localWelcomes, List<FollowerNotify> remoteWelcomes, CancellationToken ct)
    {
        var welcomeMessage = WelcomeMessage(welcome);
        var members = roster.Select(m => m.ClientUri).ToHashSet(StringComparer.Ordinal);
        var routes = (await welcomes.RouteAsync(roomId, welcome, ct)).Where(r => members.Contains(r.ClientUri)).ToList();
        foreach (var local in routes.Where(r => r.Domain == OwnDomain))
        {
            localWelcomes.Add(await welcomes.DeliveryAsync(local, roomId, welcomeMessage.Encoded.ToArray(), tree, ct));
        }

        var treeOption = new RatchetTreeOption(RatchetTreeRepresentation.Full, ByteString.CopyFrom(tree), null, default);
        foreach (var domain in routes.Select(r => r.Domain).Where(d => d != OwnDomain).Distinct(StringComparer.Ordinal))
        {
            remoteWelcomes.Add(new FollowerNotify(domain, new FanoutMessage(timestamp, welcomeMessage, null, treeOption, default, default).Encode()));
        }

        if (routes.Count < welcome.Secrets.Count)
        {
            LogUnroutedWelcome(logger, roomId, welcome.Secrets.Count - routes.Count);
        }
    }

    /// <summary>
    /// Accepts an application message for the room's current epoch and fans it out. When its authenticated data carries
    /// a <c>frank_aad</c> franking tag, the hub franks it for <paramref name="sendingUri"/> (the <c>sendingUri</c> of a
    /// follower's SubmitMessageRequest; a local client's own URI otherwise) and sends the frank with it.
    /// </summary>
    public async Task<HubAnswer> SubmitAsync(string roomId, MlsMessage message, HubSender sender, CancellationToken ct, string? sendingUri = null)
    {
        var (room, refusal, _) = await AuthorizeAsync(roomId, message, sender, ct);
        if (room is null)
        {
            return refusal;
        }

        if (message.WireFormat != MlsWireFormat.PrivateMessage || message.ContentType != MlsContentType.Application)
        {
            return HubAnswer.Refused(HubStatus.Invalid, "submitMessage carries an application message in a PrivateMessage.");
        }

        var timestamp = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds();
        var frank = FrankOf(room, message, sendingUri ?? sender.ClientUri, timestamp);
        var notifyBody = new FanoutMessage(timestamp, message, frank, null, default, default).Encode();
        var outcome = await store.AcceptAsync(new HubAcceptance(roomId, OwnDomain, message.Epoch!.Value, false, null, null, sender.ClientUri,
            InboxKind.Application, message.Encoded.ToArray(), notifyBody, [], [], [])
        {
            Frank = frank?.Encode(),
            AcceptedTimestamp = timestamp,
        }, time.GetUtcNow(), ct);
        var answer = Finish(roomId, outcome, timestamp, "application", message.Epoch!.Value);
        if (answer.Status != HubStatus.Accepted)
        {
            return answer;
        }

        if (frank is not null)
        {
            metrics.FrankIssued();
        }

        return answer with { Frank = frank };
    }

    // The frank is signed with the franking key of the room's suite, read from its latest GroupInfo; a room without one
    // yet, or a message without a franking tag, is not franked.
    private Frank? FrankOf(HostedRoom room, MlsMessage message, string? senderUri, ulong timestamp)
    {
        if (senderUri is null || !Protocol.Franking.TryGetFrankingTag(message, out var tag)
            || room.GroupInfo is null || !MlsGroupInfo.TryDecode(room.GroupInfo, out var groupInfo, out _)
            || !MlsSignature.IsSupported(groupInfo.CipherSuite))
        {
            return null;
        }

        return Protocol.Franking.Create(keys.FrankingHubKey, keys.FrankingKey(groupInfo.CipherSuite), tag.Span,
            new ServerFrankingContext(senderUri, room.RoomId, timestamp));
    }

    private HubAnswer Finish(string roomId, HubOutcome outcome, ulong timestamp, string kind, ulong epoch)
    {
        if (!outcome.Accepted)
        {
            LogWrongEpoch(logger, kind, roomId, epoch, outcome.CurrentEpoch);
            return new HubAnswer(HubStatus.WrongEpoch, outcome.CurrentEpoch, 0, $"The room is at epoch {outcome.CurrentEpoch}.");
        }

        outbox.Wake();
        signals.Notify(outcome.NotifiedClients);
        LogAccepted(logger, kind, roomId, epoch);
        return new HubAnswer(HubStatus.Accepted, outcome.CurrentEpoch, timestamp, null);
    }

    /// <summary>
    /// Whether <paramref name="sender"/> may submit <paramref name="message"/> to the room: a member (a local member
    /// client, or a provider hosting one), or — for an external commit — the client the hub handed the room's
    /// GroupInfo to, signing with the key it named then (<paramref name="message"/>'s path leaf), through its provider.
    /// </summary>
    private async Task<(HostedRoom? Room, HubAnswer Refusal, GroupInfoGrant? Joiner)> AuthorizeAsync(
        string roomId, MlsMessage message, HubSender sender, CancellationToken ct)
    {
        var room = await store.FindRoomAsync(roomId, ct);
        if (room is null)
        {
            return (null, HubAnswer.Refused(HubStatus.NoSuchRoom, $"This provider hosts no room '{roomId}'."), null);
        }

        GroupInfoGrant? joiner = null;
        if (message.SenderType == MlsSenderType.NewMemberCommit)
        {
            joiner = await GrantOfAsync(roomId, message, sender, ct);
            if (joiner is null)
            {
                return (null, HubAnswer.Refused(HubStatus.NotMember,
                    "An external commit is accepted only from the client and signature key that fetched the room's GroupInfo (groupInfo), before the grant expires."), null);
            }
        }
        else if (!(sender.ClientUri is { } client
            ? await store.IsMemberAsync(roomId, client, ct)
            : await store.HasMemberAtAsync(roomId, sender.PeerDomain!, ct)))
        {
            return (null, HubAnswer.Refused(HubStatus.NotMember, sender.ClientUri is not null
                ? "This client is not a member of the room."
                : $"{sender.PeerDomain} hosts no member of the room."), null);
        }

        if (message.Epoch is null || message.WireFormat is not (MlsWireFormat.PublicMessage or MlsWireFormat.PrivateMessage))
        {
            return (null, HubAnswer.Refused(HubStatus.Invalid, $"Expected a PublicMessage or PrivateMessage, got {message.WireFormat}."), null);
        }

        if (!message.GroupId.Span.SequenceEqual(room.GroupId))
        {
            return (null, HubAnswer.Refused(HubStatus.Invalid, "The message's group_id is not the room's MLS group."), null);
        }

        return (room, default, joiner);
    }

    private async Task<GroupInfoGrant?> GrantOfAsync(string roomId, MlsMessage commit, HubSender sender, CancellationToken ct)
    {
        if (commit.CommitPathLeaf is not { } leaf || leaf.Credential.BasicIdentity is not { } joiner)
        {
            return null;
        }

        var grant = await store.FindGroupInfoGrantAsync(roomId, joiner, time.GetUtcNow(), ct);
        var fromJoiner = sender.ClientUri is { } client ? client == joiner && grant?.Domain == OwnDomain : grant?.Domain == sender.PeerDomain;
        return grant is not null && fromJoiner && CryptographicOperations.FixedTimeEquals(grant.SignatureKey, leaf.SignatureKey.Span) ? grant : null;
    }

    /// <summary>Wraps a Welcome as the MLSMessage clients join from (version mls10, wire format mls_welcome).</summary>
    internal static MlsMessage WelcomeMessage(MlsWelcome welcome)
    {
        return MlsMessage.TryDecode(MlsMessage.Frame(MlsWireFormat.Welcome, welcome.Encoded.Span), out var message, out var error)
            ? message
            : throw new InvalidOperationException($"A decoded Welcome did not re-encode: {error.Message}");
    }

    internal static string Hash(ReadOnlySpan<byte> message) => Convert.ToHexStringLower(SHA256.HashData(message));

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Hub accepted a {Kind} for {Room} at epoch {Epoch}")]
    private static partial void LogAccepted(ILogger logger, string kind, string room, ulong epoch);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Hub refused a {Kind} for {Room} at epoch {Epoch}: the room is at {Current}")]
    private static partial void LogWrongEpoch(ILogger logger, string kind, string room, ulong epoch, ulong current);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "{Count} new member(s) of a Welcome for {Room} match no KeyPackage claim recorded here or no leaf of the hub's tree; they are not routed")]
    private static partial void LogUnroutedWelcome(ILogger logger, string room, int count);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Hub refused a {Kind} for {Room} at epoch {Epoch}: {Check}: {Detail}")]
    private static partial void LogMlsRefused(ILogger logger, string kind, string room, ulong epoch, string check, string detail);
}
