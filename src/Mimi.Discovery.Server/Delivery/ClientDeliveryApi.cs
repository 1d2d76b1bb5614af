using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Model;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Peers;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// What a hosted client does through its provider: upload KeyPackages, claim other users' key material, create rooms,
/// send commits and messages to a room's hub (here, or forwarded to the hub's provider), and read its inbox.
/// </summary>
internal static partial class ClientDeliveryApi
{
    public static IEndpointRouteBuilder MapClientDeliveryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/client").WithTags("Delivery").RequireAuthorization(Policies.HostedClient);
        group.MapPost("/keypackages", UploadKeyPackagesAsync).WithName("UploadKeyPackages")
            .WithSummary("Uploads KeyPackages (base64 TLS MLSMessages), validated per RFC 9420 §10.1; the credential must name this client.");
        group.MapGet("/keypackages", CountKeyPackagesAsync).WithName("CountKeyPackages")
            .WithSummary("How many unclaimed, unexpired KeyPackages this client has (single-use and last-resort).");
        group.MapPost("/keyMaterial", ClaimKeyMaterialAsync).WithName("ClaimKeyMaterial").RateLimited().Accepts<byte[]>(MimiApi.MediaType).Produces<byte[]>(200, MimiApi.MediaType)
            .WithSummary("Claims a user's KeyPackages (TLS KeyMaterialRequest → KeyMaterialResponse), through the target's provider when remote.");
        group.MapPost("/rooms", CreateRoomAsync).WithName("CreateRoom")
            .WithSummary("Creates a room hosted here for the MLS group this client created, from its GroupInfo and ratchet tree (checked: the hub keeps the room's public group state from them).");
        group.MapGet("/rooms/{room}/groupInfo", GetGroupInfoAsync).WithName("GetRoomGroupInfo")
            .WithSummary("The latest GroupInfo and ratchet tree of a room hosted here, or the epoch and tree this follower verified (members only; 403 for a removed client).");
        group.MapPost("/rooms/{room}/groupInfo", RequestGroupInfoAsync).WithName("RequestRoomGroupInfo").RateLimited().Accepts<byte[]>(MimiApi.MediaType).Produces<byte[]>(200, MimiApi.MediaType)
            .WithSummary("For an external join: a signed TLS GroupInfoRequest to the room's hub (here or through its provider) → GroupInfoResponse. This client's user must already take part in the room.");
        group.MapPost("/rooms/{room}/update", UpdateRoomAsync).WithName("UpdateRoom").RateLimited().Accepts<byte[]>(MimiApi.MediaType).Produces<byte[]>(200, MimiApi.MediaType)
            .WithSummary("Sends a commit or proposal (TLS UpdateRequest) to the room's hub; answers the hub's UpdateRoomResponse.");
        group.MapPost("/rooms/{room}/messages", SubmitMessageAsync).WithName("SubmitRoomMessage").RateLimited().Accepts<byte[]>(MimiApi.MediaType).Produces<byte[]>(200, MimiApi.MediaType)
            .WithSummary("Sends an application message (TLS MLSMessage, PrivateMessage) to the room's hub; answers the hub's SubmitMessageResponse.");
        group.MapGet("/inbox", ReadInboxAsync).WithName("ReadInbox")
            .WithSummary("Inbox items after a sequence number; waits up to 'wait' seconds (capped) when there are none.");
        group.MapGet("/inbox/stream", StreamInbox).WithName("StreamInbox").Produces<string>(200, "text/event-stream")
            .WithSummary("Inbox items as server-sent events (id = sequence number, event = kind), from ?after or Last-Event-ID.");
        group.MapPost("/inbox/ack", AckInboxAsync).WithName("AckInbox").WithSummary("Deletes inbox items up to and including 'upTo'.");
        group.MapPut("/discoverability", SetDiscoverabilityAsync).WithName("SetUserDiscoverability")
            .WithSummary("Whether this client's user is found by other providers' identifierQuery.");
        return app;
    }

    private static async Task<Results<Created<KeyPackageUploadView>, ProblemHttpResult>> UploadKeyPackagesAsync(
        KeyPackageUploadRequest request, ClaimsPrincipal user, KeyPackages keyPackages, IOptions<DeliveryOptions> options, CancellationToken ct)
    {
        if (request.KeyPackages is not { Length: > 0 } encoded)
        {
            return Problems.InvalidRequest("keyPackages", "keyPackages must list at least one base64 MLSMessage.");
        }

        if (encoded.Length > options.Value.MaxKeyPackagesPerUpload)
        {
            return Problems.InvalidRequest("keyPackages", $"At most {options.Value.MaxKeyPackagesPerUpload} KeyPackages per upload.");
        }

        var messages = new List<byte[]>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (!Base64Text.TryDecode(encoded[i] ?? "", out var bytes))
            {
                return Problems.InvalidRequest($"keyPackages[{i}]", "Not base64.");
            }

            messages.Add(bytes);
        }

        var (added, refusal) = await keyPackages.UploadAsync(user.ClientId(), messages, ct);
        if (refusal is not null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ProblemKinds.InvalidKeyPackage, "A KeyPackage was refused.",
                $"keyPackages[{refusal.Index}]: {refusal.Message}",
                new Dictionary<string, object?> { ["field"] = $"keyPackages[{refusal.Index}]", ["code"] = refusal.Problem.ToString() });
        }

        return TypedResults.Created("/v1/client/keypackages", new KeyPackageUploadView(added));
    }

    private static async Task<Ok<KeyPackageCountView>> CountKeyPackagesAsync(ClaimsPrincipal user, KeyPackageStore store, TimeProvider time, CancellationToken ct)
    {
        var count = await store.CountKeyPackagesAsync(user.ClientId(), time.GetUtcNow(), ct);
        return TypedResults.Ok(new KeyPackageCountView(count.Available, count.LastResort));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ClaimKeyMaterialAsync(
        HttpContext http, ClaimsPrincipal user, KeyPackages keyPackages, PeerClient peers, KeyPackageStore store, IOptions<DeliveryOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var body = await MimiBodies.ReadAsync(http.Request, null, ct);
        if (!KeyMaterialRequest.TryDecode(body, out var request, out var error))
        {
            return Problems.InvalidMessage(error, nameof(KeyMaterialRequest));
        }

        if (request.RequestingUser != user.HostedUser())
        {
            return Problems.Forbidden("requestingUser must be this client's user.");
        }

        if (RequesterSignature.Check(request, options.Value.HostedDomain, user.ClientId()) is { } unsigned)
        {
            return unsigned;
        }

        if (!Ssi.TryParse(request.TargetUser, out var target, out var targetError) || target.Kind != SsiKind.User)
        {
            return Problems.InvalidIdentifier("targetUser", targetError?.Code ?? "not-a-user", "targetUser must be a MIMI user URI.");
        }

        var own = options.Value.HostedDomain;
        if (target.Domain == own)
        {
            var outcome = await keyPackages.ClaimAsync(own, request, ct);
            if (RateLimitResponses.Answer(http, "kp-claims", outcome.Decision) is { } refused)
            {
                return refused;
            }

            return TypedResults.File(outcome.Response!.Encode(), MimiApi.MediaType);
        }

        var response = await peers.SendAsync(target.Domain, MimiEndpoint.KeyMaterial, request.TargetUser, body, null, ct);
        if (Forwarded(http, response, target.Domain) is { } failure)
        {
            return failure;
        }

        if (!KeyMaterialResponse.TryDecode(response.Body, out var answer, out _))
        {
            return PeerFailed($"{target.Domain} answered keyMaterial with a body that is not a KeyMaterialResponse.");
        }

        // Remember whose KeyPackages these are, so the Welcome that uses them reaches the right provider and client.
        var claims = new List<KeyPackageClaim>();
        foreach (var client in answer.Clients)
        {
            if (client.KeyPackage is { } keyPackage && keyPackage.TryComputeRef(out var kpRef)
                && Ssi.TryParse(client.ClientUri, out var clientUri, out _) && clientUri.Kind == SsiKind.Client && clientUri.Domain == target.Domain)
            {
                claims.Add(new KeyPackageClaim(kpRef.ToHex(), client.ClientUri, request.RequestingUser, request.RoomId));
            }
        }

        await store.RecordClaimsAsync(claims, time.GetUtcNow(), ct);
        return TypedResults.File(response.Body, MimiApi.MediaType);
    }

    private static async Task<Results<Created<RoomView>, ProblemHttpResult>> CreateRoomAsync(
        CreateRoomRequest request, ClaimsPrincipal user, RoomStore store, IOptions<DeliveryOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (!HostedUsersApi.TryUri(options.Value, "r", request.Name, "name", out var roomId, out var problem))
        {
            return problem!;
        }

        if (!Base64Text.TryDecode(request.GroupInfo, out var groupInfoBytes) || !MlsMessage.TryDecode(groupInfoBytes, out var message, out _) || message.GroupInfo is not { } groupInfo)
        {
            return Problems.InvalidRequest("groupInfo", "groupInfo must be the group's GroupInfo as a base64 MLSMessage (wire format mls_group_info).");
        }

        if (!Base64Text.TryDecode(request.RatchetTree, out var treeBytes) || !MlsRatchetTree.TryReadExtensionData(treeBytes, out var contents, out var treeError))
        {
            return Problems.InvalidRequest("ratchetTree", "ratchetTree must be base64 ratchet_tree extension data (the node vector with its length).");
        }

        // The hub starts the room's public state from what the creator sent, and trusts it only once it verifies.
        var now = time.GetUtcNow();
        if (!MlsPublicGroupState.TryCreate(groupInfo, contents, now, out var state, out var refusal))
        {
            var check = MlsGroupChecks.Name(refusal.Check);
            return MlsRefusal($"{check}: {refusal.Detail}", check);
        }

        var roster = RoomRoster.Of(state);
        if (!roster.Any(m => m.ClientUri == user.ClientId()))
        {
            return Problems.Forbidden("The group's ratchet tree has no leaf for this client: create the room for a group this client is a member of.", "ratchetTree");
        }

        var room = new NewRoom(roomId!, groupInfo.GroupId.ToArray(), groupInfo.Epoch, groupInfo.Encoded.ToArray(), contents.ToArray(), state.Encode(), roster);
        if (!await store.TryCreateRoomAsync(room, now, ct))
        {
            return Problems.Conflict($"Room '{roomId}' exists already.");
        }

        return TypedResults.Created($"/v1/client/rooms/{Uri.EscapeDataString(roomId!)}", new RoomView(roomId!, groupInfo.Epoch));
    }

    private static async Task<Results<Ok<GroupInfoView>, ProblemHttpResult>> GetGroupInfoAsync(
        string room, ClaimsPrincipal user, RoomStore store, CancellationToken ct)
    {
        var roomId = Uri.UnescapeDataString(room);
        var client = user.ClientId();
        if (await store.FindRemovalAsync(roomId, client, ct) is { } removedAt)
        {
            return Removed(roomId, removedAt);
        }

        if (!await store.IsMemberAsync(roomId, client, ct))
        {
            // Non-members cannot tell a room they are not in from one that does not exist.
            return Problems.NotFound($"No room '{roomId}' with this client as a member.");
        }

        if (await store.FindRoomAsync(roomId, ct) is { } hosted)
        {
            return TypedResults.Ok(new GroupInfoView(roomId, hosted.Epoch, B64(hosted.GroupInfo), B64(WelcomeRouter.InboxTree(hosted.RatchetTree))));
        }

        // A room followed here: the state this provider verified from the hub's notifies (the GroupInfo stays at the hub).
        if (await store.FindFollowedRoomAsync(roomId, ct) is { } followed && MlsPublicGroupState.TryDecode(followed.State, out var state, out _))
        {
            return TypedResults.Ok(new GroupInfoView(roomId, state.Context.Epoch, null, B64(WelcomeRouter.InboxTree(state.Tree.EncodeContents()))));
        }

        return Problems.NotFound($"This provider holds no state of '{roomId}' yet.");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RequestGroupInfoAsync(
        string room, HttpContext http, ClaimsPrincipal user, GroupInfos groupInfos, PeerClient peers, RoomStore store, ClientDirectory clients,
        IOptions<DeliveryOptions> options, CancellationToken ct)
    {
        var roomId = Uri.UnescapeDataString(room);
        if (RoomDomain(roomId) is not { } domain)
        {
            return Problems.InvalidIdentifier("room", "not-a-room", "room must be a MIMI room URI.");
        }

        var body = await MimiBodies.ReadAsync(http.Request, null, ct);
        if (!GroupInfoRequest.TryDecode(body, out var request, out var error))
        {
            return Problems.InvalidMessage(error, nameof(GroupInfoRequest));
        }

        if (request.RequestingCredential.BasicIdentity != user.ClientId())
        {
            return Problems.Forbidden("requestingCredential must be a basic credential naming this client.", "requestingCredential");
        }

        // The follower's part: the provider vouches that its user already takes part in the room (another of the
        // user's clients is a member), which is what the hub relies on. Rooms the user is not in look like no room.
        var userUri = user.HostedUser();
        var members = await store.ListMembersAsync(roomId, ct);
        if (!members.Any(m => m.Domain == options.Value.HostedDomain && clients.Find(m.ClientUri)?.UserUri == userUri))
        {
            return Problems.NotFound($"No room '{roomId}' that this client's user takes part in.");
        }

        if (domain == options.Value.HostedDomain)
        {
            return await groupInfos.AnswerAsync(roomId, request, domain, ct);
        }

        var response = await peers.SendAsync(domain, MimiEndpoint.GroupInfo, roomId, body, null, ct);
        return Forwarded(http, response, domain) ?? (Results<FileContentHttpResult, ProblemHttpResult>)TypedResults.File(response.Body, MimiApi.MediaType);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> UpdateRoomAsync(
        string room, HttpContext http, ClaimsPrincipal user, Hub hub, PeerClient peers, RoomStore store, IOptions<DeliveryOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var roomId = Uri.UnescapeDataString(room);
        if (RoomDomain(roomId) is not { } domain)
        {
            return Problems.InvalidIdentifier("room", "not-a-room", "room must be a MIMI room URI.");
        }

        var body = await MimiBodies.ReadAsync(http.Request, null, ct);
        if (!UpdateRequest.TryDecode(body, out var request, out var error))
        {
            return Problems.InvalidMessage(error, nameof(UpdateRequest));
        }

        if (domain == options.Value.HostedDomain)
        {
            var local = await hub.UpdateAsync(roomId, request, new HubSender(user.ClientId(), null), ct);
            return local.Status == HubStatus.MlsRefused ? MlsRefusal(local.Detail!, local.Check) : MimiApi.UpdateAnswer(local);
        }

        // A client removed from the room speaks in it no more: its provider does not forward for it, unless it joins
        // again by external commit (which the hub allows only after handing it the GroupInfo).
        if (request.Bundle.ProposalOrCommit.SenderType != MlsSenderType.NewMemberCommit
            && await store.FindRemovalAsync(roomId, user.ClientId(), ct) is { } removedAt)
        {
            return Removed(roomId, removedAt);
        }

        await store.RecordSentAsync(Hub.Hash(request.Bundle.ProposalOrCommit.Encoded.Span), user.ClientId(), time.GetUtcNow(), ct);
        var response = await peers.SendAsync(domain, MimiEndpoint.Update, roomId, body, null, ct);
        if (Forwarded(http, response, domain) is { } failure)
        {
            return failure;
        }

        // The hub's MLS refusal (notAllowed, invalidProposal) reaches the client as the problem a local hub's would be.
        if (UpdateRoomResponse.TryDecode(response.Body, out var refused, out _)
            && refused.ResponseCode is UpdateResponseCode.NotAllowed or UpdateResponseCode.InvalidProposal)
        {
            var colon = refused.ErrorDescription.IndexOf(':', StringComparison.Ordinal);
            return MlsRefusal(refused.ErrorDescription, colon > 0 ? refused.ErrorDescription[..colon] : null);
        }

        // A client that joined by external commit is now a local member of the room this provider follows: the hub's
        // notifies for the room reach it from here on.
        if (request.Bundle.ProposalOrCommit.SenderType == MlsSenderType.NewMemberCommit
            && UpdateRoomResponse.TryDecode(response.Body, out var answer, out _) && answer.ResponseCode == UpdateResponseCode.Success)
        {
            await store.AddMembersAsync(roomId, [new RoomMember(user.ClientId(), options.Value.HostedDomain)], time.GetUtcNow(), ct);
        }

        return TypedResults.File(response.Body, MimiApi.MediaType);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> SubmitMessageAsync(
        string room, HttpContext http, ClaimsPrincipal user, Hub hub, PeerClient peers, RoomStore store, IOptions<DeliveryOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var roomId = Uri.UnescapeDataString(room);
        if (RoomDomain(roomId) is not { } domain)
        {
            return Problems.InvalidIdentifier("room", "not-a-room", "room must be a MIMI room URI.");
        }

        var body = await MimiBodies.ReadAsync(http.Request, null, ct);
        if (!MlsMessage.TryDecode(body, out var message, out var error))
        {
            return Problems.InvalidMessage(error, "MLSMessage");
        }

        if (domain == options.Value.HostedDomain)
        {
            return MimiApi.SubmitAnswer(await hub.SubmitAsync(roomId, message, new HubSender(user.ClientId(), null), ct));
        }

        await store.RecordSentAsync(Hub.Hash(message.Encoded.Span), user.ClientId(), time.GetUtcNow(), ct);
        var submit = new SubmitMessageRequest(MimiProtocol.Mls10, message, user.ClientId()).Encode();
        var response = await peers.SendAsync(domain, MimiEndpoint.SubmitMessage, roomId, submit, null, ct);
        return Forwarded(http, response, domain) ?? (Results<FileContentHttpResult, ProblemHttpResult>)TypedResults.File(response.Body, MimiApi.MediaType);
    }

    private static async Task<Results<Ok<InboxView>, ProblemHttpResult>> ReadInboxAsync(
        ClaimsPrincipal user, InboxStore store, InboxSignals signals, IOptions<DeliveryOptions> options, TimeProvider time, CancellationToken ct,
        long after = 0, double wait = 0)
    {
        if (after < 0 || wait < 0 || double.IsNaN(wait))
        {
            return Problems.InvalidRequest(after < 0 ? "after" : "wait", "after and wait must not be negative.");
        }

        var o = options.Value.Inbox;
        var client = user.ClientId();
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(wait, o.MaxWait.TotalSeconds));
        while (true)
        {
            var signal = signals.Next(client);
            var items = await store.ReadInboxAsync(client, after, o.PageSize, ct);
            var remaining = deadline - time.GetUtcNow();
            if (items.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return TypedResults.Ok(new InboxView([.. items.Select(View)], items.Count > 0 ? items[^1].Sequence : after));
            }

            await WaitAsync(signal, remaining < o.PollInterval ? remaining : o.PollInterval, time, ct);
        }
    }

    // The library writes the events (id = sequence number, event = kind, data = the item as GET /v1/client/inbox
    // answers it, serialized with the same JSON options) and flushes each one.
    private static ServerSentEventsResult<InboxItemView> StreamInbox(
        HttpContext http, ClaimsPrincipal user, InboxStore store, InboxSignals signals, IOptions<DeliveryOptions> options, TimeProvider time,
        CancellationToken ct, long after = 0)
    {
        if (long.TryParse(http.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var resume))
        {
            after = resume;
        }

        return TypedResults.ServerSentEvents(InboxEventsAsync(http, user.ClientId(), after, store, signals, options.Value.Inbox, time, ct));
    }

    private static async IAsyncEnumerable<SseItem<InboxItemView>> InboxEventsAsync(HttpContext http, string client, long after, InboxStore store,
        InboxSignals signals, InboxOptions o, TimeProvider time, [EnumeratorCancellation] CancellationToken ct)
    {
        // The headers go out at once, not with the first item: a client sees the stream open on an empty inbox too.
        await http.Response.Body.FlushAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            var signal = signals.Next(client);
            var items = await store.ReadInboxAsync(client, after, o.PageSize, ct);
            foreach (var item in items)
            {
                var view = View(item);
                yield return new SseItem<InboxItemView>(view, view.Kind) { EventId = item.Sequence.ToString(CultureInfo.InvariantCulture) };
                after = item.Sequence;
            }

            if (items.Count == 0)
            {
                // A client going away ends the wait with a cancellation, which ends the request quietly.
                await WaitAsync(signal, o.PollInterval, time, ct);
            }
        }
    }

    private static async Task<Results<Ok<AckView>, ProblemHttpResult>> AckInboxAsync(AckRequest request, ClaimsPrincipal user, InboxStore store, CancellationToken ct)
    {
        if (request.UpTo < 0)
        {
            return Problems.InvalidRequest("upTo", "upTo must not be negative.");
        }

        return TypedResults.Ok(new AckView(await store.AckAsync(user.ClientId(), request.UpTo, ct)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetDiscoverabilityAsync(
        UserDiscoverabilityRequest request, ClaimsPrincipal user, HostedUserStore store, CancellationToken ct) =>
        await store.SetDiscoverableAsync(user.HostedUser(), request.Discoverable, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound("This client's user no longer exists.");

    private static async Task WaitAsync(Task signal, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        try
        {
            await signal.WaitAsync(timeout, time, ct);
        }
        catch (TimeoutException)
        {
            // Nothing signalled here; the caller re-reads the database (another replica may have written).
        }
    }

    /// <summary>Maps a failed forward to the hub or claim target: 429 passes through with its Retry-After, the rest are 502/503.</summary>
    private static ProblemHttpResult? Forwarded(HttpContext http, PeerResponse response, string domain)
    {
        if (response.Outcome == PeerOutcome.Accepted)
        {
            return null;
        }

        if (response.Status == StatusCodes.Status429TooManyRequests)
        {
            return Problems.RateLimited(http, $"{domain} refused: over its quota.", response.RetryAfter ?? TimeSpan.FromSeconds(1));
        }

        if (response.Outcome == PeerOutcome.Transient)
        {
            http.Response.Headers.RetryAfter = "2";
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, ProblemKinds.PeerUnavailable, "The other provider is unavailable.", response.Error ?? domain);
        }

        return PeerFailed(response.Error ?? $"{domain} refused the request.", response.Status);
    }

    /// <summary>The problem of a commit or proposal the room's public group state refused (at the hub, or a follower's check of a notify).</summary>
    internal static ProblemHttpResult MlsRefusal(string detail, string? check) =>
        Problems.Create(StatusCodes.Status400BadRequest, ProblemKinds.MlsCommitRefused, "The room's MLS group state refuses this commit or proposal.", detail,
            check is null ? null : new Dictionary<string, object?> { ["check"] = check });

    private static ProblemHttpResult Removed(string roomId, ulong epoch) =>
        Problems.Forbidden($"This client was removed from '{roomId}' at epoch {epoch}; nothing of the room after that is for it.");

    private static ProblemHttpResult PeerFailed(string detail, int status = 0) =>
        Problems.Create(StatusCodes.Status502BadGateway, ProblemKinds.PeerRefused, "The other provider refused the request.", detail,
            status == 0 ? null : new Dictionary<string, object?> { ["peerStatus"] = status });

    private static string? RoomDomain(string roomId) =>
        Ssi.TryParse(roomId, out var ssi, out _) && ssi.Kind == SsiKind.Room ? ssi.Domain : null;

    private static InboxItemView View(InboxItem item) =>
        new(item.Sequence, KindName(item.Kind), item.RoomId, Convert.ToBase64String(item.Message), B64(item.RatchetTree), item.CreatedAt, B64(item.Frank),
            item.AcceptedTimestamp);

    private static string KindName(InboxKind kind) => kind switch
    {
        InboxKind.Welcome => "welcome",
        InboxKind.Handshake => "handshake",
        _ => "application",
    };

    private static string? B64(byte[]? bytes) => bytes is null ? null : Convert.ToBase64String(bytes);
}
