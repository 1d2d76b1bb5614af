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
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Peers;

namespace Mimi.Discovery.Server.Consent;

/// <summary>
/// The MIMI consent endpoints other providers call (draft-ietf-mimi-protocol-06 §5.7, §5.9): <c>requestConsent</c>,
/// <c>updateConsent</c> and <c>reportAbuse</c>, with TLS-encoded bodies. Whatever becomes of a request at the target
/// (recorded, held, dropped over a cap, blocked, unknown user), the requester's provider gets the same 201.
/// </summary>
internal static class ConsentMimiApi
{
    private const int MaxMessageIdLength = 128;

    public static IEndpointRouteBuilder MapConsentMimiApi(this IEndpointRouteBuilder app)
    {
        var mimi = app.MapGroup(MimiPaths.Base).WithTags("Consent").RequireAuthorization(Policies.Peer).AcceptsTlsBody().CountsPeerRequests();
        mimi.MapPost(MimiPaths.Route(MimiEndpoint.RequestConsent), RequestConsentAsync).WithName("MimiRequestConsent").RateLimited()
            .WithSummary("A peer asks one of this provider's users for consent, or cancels (ConsentEntry). Always 201 once valid: the requester never learns what the target saw. Peers only.");
        mimi.MapPost(MimiPaths.Route(MimiEndpoint.UpdateConsent), UpdateConsentAsync).WithName("MimiUpdateConsent")
            .WithSummary("A peer says its user granted or revoked consent to one of this provider's users (ConsentEntry). Peers only.");
        mimi.MapPost(MimiPaths.Route(MimiEndpoint.ReportAbuse), ReportAbuseAsync).WithName("MimiReportAbuse")
            .WithSummary("A peer reports abuse in a room hosted here (AbuseReport); each reported message's frank must be this hub's. Stored for this instance's operator. Peers only.");
        return app;
    }

    private static async Task<Results<Created, ProblemHttpResult>> RequestConsentAsync(
        string targetUser, HttpContext http, ClaimsPrincipal user, ConsentService consent, KeyedRateLimiter limiter,
        IOptions<ConsentOptions> options, IOptions<DeliveryOptions> delivery, CancellationToken ct)
    {
        var source = user.PeerDomain();
        var decision = await limiter.AcquireAsync("consent-peer:" + source, new RateLimitPolicy(options.Value.RequestsPerProvider, options.Value.Window), 1, ct);
        if (RateLimitResponses.Answer(http, "consent-requests", decision) is { } refused)
        {
            return refused;
        }

        var (entry, problem) = await ReadEntryAsync(http, options.Value, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (entry!.Operation is not (ConsentOperation.Request or ConsentOperation.Cancel))
        {
            return Problems.InvalidRequest("consentOperation", "requestConsent carries a request or a cancel; grants and revocations go to updateConsent.");
        }

        if (!TryScope(entry, source, requesterIsPeers: true, delivery.Value.HostedDomain, out var scope, out problem))
        {
            return problem!;
        }

        if (!SameUri(targetUser, scope!.TargetUri))
        {
            return Problems.InvalidRequest("targetUri", "The body's targetUri is not the user the request is addressed to.");
        }

        if (!TryMessageId(http, out var messageId, out problem))
        {
            return problem!;
        }

        // A message id seen before (or arriving twice at once) is an outcome the service logs; the peer is answered the same.
        await consent.ReceiveRequestAsync(entry with { RequesterUri = scope.RequesterUri, TargetUri = scope.TargetUri, RoomId = scope.RoomId },
            source, messageId, ct);

        return TypedResults.Created();
    }

    private static async Task<Results<Created, ProblemHttpResult>> UpdateConsentAsync(
        string requesterUser, HttpContext http, ClaimsPrincipal user, ConsentService consent, IOptions<ConsentOptions> options,
        IOptions<DeliveryOptions> delivery, CancellationToken ct)
    {
        var source = user.PeerDomain();
        var (entry, problem) = await ReadEntryAsync(http, options.Value, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (entry!.Operation is not (ConsentOperation.Grant or ConsentOperation.Revoke))
        {
            return Problems.InvalidRequest("consentOperation", "updateConsent carries a grant or a revoke; requests and cancellations go to requestConsent.");
        }

        if (!TryScope(entry, source, requesterIsPeers: false, delivery.Value.HostedDomain, out var scope, out problem))
        {
            return problem!;
        }

        if (!SameUri(requesterUser, scope!.RequesterUri))
        {
            return Problems.InvalidRequest("requesterUri", "The body's requesterUri is not the user the update is addressed to.");
        }

        if (!TryMessageId(http, out var messageId, out problem))
        {
            return problem!;
        }

        await consent.ReceiveUpdateAsync(entry with { RequesterUri = scope.RequesterUri, TargetUri = scope.TargetUri, RoomId = scope.RoomId },
            source, messageId, ct);

        return TypedResults.Created();
    }

    private static async Task<Results<Created, ProblemHttpResult>> ReportAbuseAsync(
        string roomId, HttpContext http, ClaimsPrincipal user, ConsentService consent, HubKeys keys, DeliveryMetrics metrics, IOptions<ConsentOptions> options,
        IOptions<DeliveryOptions> delivery, CancellationToken ct)
    {
        var source = user.PeerDomain();
        var body = await MimiBodies.ReadAsync(http.Request, options.Value.MaxBodyBytes, ct);
        if (!AbuseReport.TryDecode(body, out var report, out var error, new TlsReaderOptions { MaxInputLength = options.Value.MaxBodyBytes }))
        {
            return Problems.InvalidMessage(error, nameof(AbuseReport));
        }

        if (!Ssi.TryParse(Uri.UnescapeDataString(roomId), out var room, out var roomError) || room.Kind != SsiKind.Room)
        {
            return Problems.InvalidIdentifier("roomId", roomError?.Code ?? "not-a-room", roomError?.Message ?? "roomId must be a room URI (mimi://domain/r/name).");
        }

        if (room.Domain != delivery.Value.HostedDomain)
        {
            return Problems.InvalidRequest("roomId", $"Room '{room}' is not hosted by {delivery.Value.HostedDomain}.");
        }

        if (report.ReportingUser.Length > 0
            && (!Ssi.TryParse(report.ReportingUser, out var reporter, out _) || reporter.Kind != SsiKind.User || reporter.Domain != source))
        {
            return Problems.Forbidden($"reportingUser must be empty or a user of the calling provider, {source}.");
        }

        if (AbuseReportFranks.Check(report, room.Value, keys, metrics) is { } unfranked)
        {
            return unfranked;
        }

        if (!TryMessageId(http, out var messageId, out var problem))
        {
            return problem!;
        }

        await consent.ReceiveAbuseReportAsync(room.Value, report, body, source, messageId, ct);

        return TypedResults.Created();
    }

    private static async Task<(ConsentEntry? Entry, ProblemHttpResult? Problem)> ReadEntryAsync(HttpContext http, ConsentOptions options, CancellationToken ct)
    {
        var body = await MimiBodies.ReadAsync(http.Request, options.MaxBodyBytes, ct);
        return ConsentEntry.TryDecode(body, out var entry, out var error, new TlsReaderOptions { MaxInputLength = options.MaxBodyBytes })
            ? (entry, null)
            : (null, Problems.InvalidMessage(error, nameof(ConsentEntry)));
    }

    /// <summary>
    /// Checks and normalizes the scope: both URIs users, the requester's (for requestConsent) or the target's (for
    /// updateConsent) at the calling peer — else 403 — and the other at this provider — else 400; a room, if any, a room URI.
    /// </summary>
    private static bool TryScope(ConsentEntry entry, string peer, bool requesterIsPeers, string hosted, out ConsentScope? scope, out ProblemHttpResult? problem)
    {
        scope = null;
        if (!TryUser(entry.RequesterUri, "requesterUri", out var requester, out problem) || !TryUser(entry.TargetUri, "targetUri", out var target, out problem))
        {
            return false;
        }

        var (peers, ours, peersField, oursField) = requesterIsPeers ? (requester!, target!, "requesterUri", "targetUri") : (target!, requester!, "targetUri", "requesterUri");
        if (peers.Domain != peer)
        {
            problem = Problems.Forbidden($"{peersField} must be a user of the calling provider, {peer}.");
            return false;
        }

        if (ours.Domain != hosted)
        {
            problem = Problems.InvalidRequest(oursField, $"{oursField} must be a user of this provider, {hosted}.");
            return false;
        }

        string? room = null;
        if (entry.RoomId is not null)
        {
            if (!Ssi.TryParse(entry.RoomId, out var parsed, out var error) || parsed.Kind != SsiKind.Room)
            {
                problem = Problems.InvalidIdentifier("roomId", error?.Code ?? "not-a-room", error?.Message ?? "roomId must be a room URI (mimi://domain/r/name).");
                return false;
            }

            room = parsed.Value;
        }

        scope = new ConsentScope(requester!.Value, target!.Value, room);
        return true;
    }

    internal static bool TryUser(string? text, string field, out Ssi? user, out ProblemHttpResult? problem)
    {
        problem = null;
        if (!Ssi.TryParse(text, out user, out var error))
        {
            problem = Problems.InvalidIdentifier(field, error.Code, error.Message);
            return false;
        }

        if (user.Kind != SsiKind.User)
        {
            problem = Problems.InvalidIdentifier(field, "not-a-user", $"{field} must be a user URI (mimi://domain/u/name).");
            return false;
        }

        return true;
    }

    // Route values keep %2F escaped; the URI in the path is compared after unescaping and normalizing.
    private static bool SameUri(string routeValue, string normalized) =>
        Ssi.TryParse(Uri.UnescapeDataString(routeValue), out var parsed, out _) && parsed.Value == normalized;

    private static bool TryMessageId(HttpContext http, out string? messageId, out ProblemHttpResult? problem)
    {
        messageId = http.Request.Headers[PeerRequestToken.MessageIdHeader].ToString();
        problem = null;
        if (messageId.Length == 0)
        {
            messageId = null;
            return true;
        }

        if (messageId.Length > MaxMessageIdLength || !messageId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            problem = Problems.InvalidRequest(PeerRequestToken.MessageIdHeader, $"{PeerRequestToken.MessageIdHeader} must be 1 to {MaxMessageIdLength} ASCII letters, digits, '-', '_' or '.'.");
            return false;
        }

        return true;
    }
}
