using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Client;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.RateLimiting;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Peers;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The provider-to-provider MIMI endpoints this instance serves (draft-ietf-mimi-protocol-06 §5): <c>keyMaterial</c>,
/// <c>update</c>, <c>submitMessage</c>, <c>notify</c>, <c>groupInfo</c> and <c>identifierQuery</c>. Bodies are TLS presentation language;
/// every call is a signed peer request.
/// </summary>
internal static partial class MimiApi
{
    public const string MediaType = "application/octet-stream";

    public static IEndpointRouteBuilder MapMimiApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(MimiPaths.Base).WithTags("MIMI").RequireAuthorization(Policies.Peer).AcceptsTlsBody().CountsPeerRequests();
        group.MapPost(MimiPaths.Route(MimiEndpoint.KeyMaterial), KeyMaterialAsync).WithName("MimiKeyMaterial").RateLimited()
            .WithSummary("Claims one KeyPackage per client of a hosted user (KeyMaterialRequest → KeyMaterialResponse). Consent and owner quotas apply.");
        group.MapPost(MimiPaths.Route(MimiEndpoint.Update), UpdateAsync).WithName("MimiUpdate")
            .WithSummary("A follower submits a commit or proposal to the hub of a room hosted here (UpdateRequest → UpdateRoomResponse).");
        group.MapPost(MimiPaths.Route(MimiEndpoint.SubmitMessage), SubmitMessageAsync).WithName("MimiSubmitMessage")
            .WithSummary("A follower submits an application message to the hub (SubmitMessageRequest → SubmitMessageResponse).");
        group.MapPost(MimiPaths.Route(MimiEndpoint.Notify), NotifyAsync).WithName("MimiNotify")
            .WithSummary("The hub of a room fans out messages to this follower (FanoutMessage…). Mimi-Message-Id makes retries idempotent.");
        group.MapPost(MimiPaths.Route(MimiEndpoint.GroupInfo), GroupInfoAsync).WithName("MimiGroupInfo")
            .WithSummary("A client of the requesting provider fetches a room's GroupInfo and ratchet tree for an external join (GroupInfoRequest → GroupInfoResponse, HPKE-encrypted and hub-signed).");
        group.MapPost(MimiPaths.Route(MimiEndpoint.RoomState), RoomStateAsync).WithName("MimiRoomState")
            .WithSummary("This implementation's extension: a provider hosting a member of a room hosted here fetches the room's GroupInfo, ratchet tree and pending proposals (→ GroupInfoRatchetTreeTBE, in the clear) to start following its public group state.");
        group.MapPost(MimiPaths.Route(MimiEndpoint.IdentifierQuery), IdentifierQueryAsync).WithName("MimiIdentifierQuery").RateLimited()
            .WithSummary("Finds discoverable users of this provider by handle or nickname (IdentifierRequest → IdentifierResponse).");
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> KeyMaterialAsync(
        string targetUser, HttpContext http, ClaimsPrincipal user, KeyPackages keyPackages, IOptions<DeliveryOptions> options, CancellationToken ct)
    {
        // Routing leaves %2F escaped inside a segment; a URI-valued parameter is unescaped once, then validated.
        targetUser = Uri.UnescapeDataString(targetUser);
        var body = await MimiBodies.ReadAsync(http.Request, null, ct);
        if (!KeyMaterialRequest.TryDecode(body, out var request, out var error))
        {
            return Problems.InvalidMessage(error, nameof(KeyMaterialRequest));
        }

        if (request.TargetUser != targetUser || !IsHostedUser(request.TargetUser, options.Value))
        {
            return Problems.InvalidRequest("targetUser", $"targetUser must be the user in the path and a user of {options.Value.HostedDomain}.");
        }

        if (!Ssi.TryParse(request.RequestingUser, out var requester, out _) || requester.Kind != SsiKind.User || requester.Domain != user.PeerDomain())
        {
            return Problems.Forbidden($"requestingUser must be a user of the requesting provider {user.PeerDomain()}.");
        }

        if (RequesterSignature.Check(request, user.PeerDomain()) is { } unsigned)
        {
            return unsigned;
        }

        var outcome = await keyPackages.ClaimAsync(user.PeerDomain(), request, ct);
        if (RateLimitResponses.Answer(http, "kp-claims", outcome.Decision) is { } refused)
        {
            return refused;
        }

        return TypedResults.File(outcome.Response!.Encode(), MediaType);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> UpdateAsync(
        string roomId, HttpContext http, ClaimsPrincipal user, Hub hub, CancellationToken ct)
    {
        roomId = Uri.UnescapeDataString(roomId);
        var body = await MimiBodies.ReadAsync(http.Request, null, ct);
        if (!UpdateRequest.TryDecode(body, out var request, out var error))
        {
            return Problems.InvalidMessage(error, nameof(UpdateRequest));
        }

        return UpdateAnswer(await hub.UpdateAsync(roomId, request, new HubSender(null, user.PeerDomain()), ct));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> SubmitMessageAsync(
        string roomId, HttpContext http, ClaimsPrincipal user, Hub hub, CancellationToken ct)
    {
        roomId = Uri.UnescapeDataString(roomId);
        var body = await MimiBodies.ReadAsync(http.Request, null, ct);
        if (!SubmitMessageRequest.TryDecode(body, out var request, out var error))
        {
            return Problems.InvalidMessage(error, nameof(SubmitMessageRequest));
        }

        if (!Ssi.TryParse(request.SendingUri, out var sending, out _) || sending.Domain != user.PeerDomain())
        {
            return Problems.Forbidden($"sendingUri must name a user or client of the submitting provider {user.PeerDomain()}.");
        }

        return SubmitAnswer(await hub.SubmitAsync(roomId, request.AppMessage, new HubSender(null, user.PeerDomain()), ct, request.SendingUri));
    }

    private static async Task<Results<Created, ProblemHttpResult>> NotifyAsync(
        string roomId, HttpContext http, ClaimsPrincipal user, Follower follower, CancellationToken ct)
    {
        roomId = Uri.UnescapeDataString(roomId);
        var body = await MimiBodies.ReadAsync(http.Request, null, ct);
        if (!FanoutMessage.TryDecodeAll(body, out var messages, out var error))
        {
            return Problems.InvalidMessage(error, nameof(FanoutMessage));
        }

        if (!Ssi.TryParse(roomId, out var room, out _) || room.Kind != SsiKind.Room || room.Domain != user.PeerDomain())
        {
            return Problems.Forbidden($"Only the hub of a room notifies about it; {user.PeerDomain()} does not host '{roomId}'.");
        }

        string? messageId = http.Request.Headers[PeerRequestToken.MessageIdHeader];
        var id = string.IsNullOrEmpty(messageId) ? "sha256:" + Hub.Hash(body) : messageId;
        if (id.Length > 200)
        {
            return Problems.InvalidRequest(PeerRequestToken.MessageIdHeader, "Mimi-Message-Id is longer than 200 characters.");
        }

        // A message id applied before (or being applied concurrently) is applied once; this retry succeeds too.
        if (await follower.ApplyAsync(user.PeerDomain(), id, roomId, messages, ct) is { } refused)
        {
            return refused;
        }

        return TypedResults.Created();
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RoomStateAsync(
        string roomId, ClaimsPrincipal user, GroupInfos groupInfos, CancellationToken ct) =>
        await groupInfos.RoomStateAsync(Uri.UnescapeDataString(roomId), user.PeerDomain(), ct);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GroupInfoAsync(
        string roomId, HttpContext http, ClaimsPrincipal user, GroupInfos groupInfos, CancellationToken ct)
    {
        roomId = Uri.UnescapeDataString(roomId);
        var body = await MimiBodies.ReadAsync(http.Request, null, ct);
        if (!GroupInfoRequest.TryDecode(body, out var request, out var error))
        {
            return Problems.InvalidMessage(error, nameof(GroupInfoRequest));
        }

        return await groupInfos.AnswerAsync(roomId, request, user.PeerDomain(), ct);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> IdentifierQueryAsync(
        string domain, HttpContext http, ClaimsPrincipal user, HostedUserStore store, KeyedRateLimiter limiter, IOptions<DeliveryOptions> options,
        CancellationToken ct)
    {
        // Every query counts, malformed ones too: each one probes whether a user exists here (enumeration).
        var quota = options.Value.IdentifierQueries;
        var decision = await limiter.AcquireAsync("identifier-queries:" + user.PeerDomain(), new RateLimitPolicy(quota.PerRequester, quota.Window), 1, ct);
        if (RateLimitResponses.Answer(http, "identifier-queries", decision) is { } refused)
        {
            return refused;
        }

        domain = Uri.UnescapeDataString(domain);
        var body = await MimiBodies.ReadAsync(http.Request, null, ct);
        if (!IdentifierRequest.TryDecode(body, out var request, out var error))
        {
            return Problems.InvalidMessage(error, nameof(IdentifierRequest));
        }

        var hosted = options.Value.HostedDomain;
        if (!string.Equals(domain, hosted, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.NotFound($"This provider answers identifier queries for {hosted} only.");
        }

        if (request.QueryElements.Count == 0)
        {
            return TypedResults.File(IdentifierResponse.NotFound.Encode(), MediaType);
        }

        // Every element must match; each supported element names at most one user. Unknown and undiscoverable users
        // look the same (notFound), so the query cannot probe for hidden accounts.
        string? found = null;
        foreach (var element in request.QueryElements)
        {
            var candidate = element.SearchType switch
            {
                SearchIdentifierType.Handle => HandleUser(element.SearchValue, hosted),
                SearchIdentifierType.Nick => NickUser(element.SearchValue, hosted),
                _ => null,
            };
            if (element.SearchType is not (SearchIdentifierType.Handle or SearchIdentifierType.Nick))
            {
                var unsupported = new IdentifierResponse(IdentifierQueryCode.UnsupportedField, default, default, AppDataDictionary.Empty);
                return TypedResults.File(unsupported.Encode(), MediaType);
            }

            if (candidate is null || (found is not null && found != candidate))
            {
                found = null;
                break;
            }

            found = candidate;
        }

        if (found is null || !await store.IsDiscoverableAsync(found, ct))
        {
            return TypedResults.File(IdentifierResponse.NotFound.Encode(), MediaType);
        }

        var answer = new IdentifierResponse(IdentifierQueryCode.Success, ValueArray.Create(found), default, AppDataDictionary.Empty);
        return TypedResults.File(answer.Encode(), MediaType);
    }

    /// <summary>A handle names a user by its MIMI URI or as <c>im:name@domain</c>.</summary>
    private static string? HandleUser(string handle, string domain)
    {
        if (Ssi.TryParse(handle, out var ssi, out _) && ssi.Kind == SsiKind.User)
        {
            return ssi.Domain == domain ? ssi.Value : null;
        }

        if (handle.StartsWith("im:", StringComparison.OrdinalIgnoreCase) && handle.LastIndexOf('@') is var at && at > 3
            && string.Equals(handle[(at + 1)..], domain, StringComparison.OrdinalIgnoreCase))
        {
            return NickUser(handle[3..at], domain);
        }

        return null;
    }

    private static string? NickUser(string nick, string domain) =>
        Ssi.TryParse($"mimi://{domain}/u/{nick}", out var ssi, out _) && ssi.Kind == SsiKind.User ? ssi.Value : null;

    internal static bool IsHostedUser(string userUri, DeliveryOptions options) =>
        Ssi.TryParse(userUri, out var ssi, out _) && ssi.Kind == SsiKind.User && ssi.Domain == options.HostedDomain;

    internal static Results<FileContentHttpResult, ProblemHttpResult> UpdateAnswer(HubAnswer answer) => answer.Status switch
    {
        HubStatus.Accepted => TypedResults.File(UpdateRoomResponse.Accepted(answer.Timestamp).Encode(), MediaType),
        HubStatus.WrongEpoch => TypedResults.File(UpdateRoomResponse.WrongEpoch(answer.CurrentEpoch, answer.Detail ?? "").Encode(), MediaType),
        // A refused standalone proposal is the draft's invalidProposal (with its ref); a refused commit, notAllowed.
        HubStatus.MlsRefused => TypedResults.File(new UpdateRoomResponse(answer.InvalidProposals.Count > 0 ? UpdateResponseCode.InvalidProposal : UpdateResponseCode.NotAllowed,
            answer.Detail ?? "", 0, 0, answer.InvalidProposals).Encode(), MediaType),
        _ => Refusal(answer),
    };

    internal static Results<FileContentHttpResult, ProblemHttpResult> SubmitAnswer(HubAnswer answer) => answer.Status switch
    {
        HubStatus.Accepted => TypedResults.File(SubmitMessageResponse.Accepted(answer.Timestamp, answer.Frank).Encode(), MediaType),
        HubStatus.WrongEpoch => TypedResults.File(
            new SubmitMessageResponse(MimiProtocol.Mls10, SubmitResponseCode.EpochTooOld, 0, null, answer.CurrentEpoch).Encode(), MediaType),
        _ => Refusal(answer),
    };

    private static ProblemHttpResult Refusal(HubAnswer answer) => answer.Status switch
    {
        HubStatus.NoSuchRoom => Problems.NotFound(answer.Detail!),
        HubStatus.NotMember => Problems.Forbidden(answer.Detail!),
        _ => Problems.Create(StatusCodes.Status400BadRequest, ProblemKinds.InvalidMessage, "The message is not acceptable here.", answer.Detail!),
    };

}
