using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Model;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.RateLimiting;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Consent;

/// <summary>
/// What a hosted user's client does about consent (<c>/v1/client/consent</c>): ask, cancel, see what it asked and how
/// it stands, see what it was asked, accept, reject, revoke, block, set its consent mode and report abuse. And the
/// operator's view of abuse reports.
/// </summary>
internal static class ConsentApi
{
    public static IEndpointRouteBuilder MapConsentApi(this IEndpointRouteBuilder app)
    {
        var client = app.MapGroup("/v1/client").WithTags("Consent").RequireAuthorization(Policies.HostedClient);
        client.MapPost("/consent/requests", RequestAsync).WithName("RequestConsent").RateLimited()
            .WithSummary("Asks a user (of any provider) for consent, optionally for one room; delivered through the outbox. Hosted clients only.");
        client.MapGet("/consent/requests", ListRequestsAsync).WithName("ListConsentRequests")
            .WithSummary("What the caller's user asked for and how it stands (pending until the target grants; pending also when the target never saw it). Hosted clients only.");
        client.MapPost("/consent/requests/cancel", CancelAsync).WithName("CancelConsentRequest")
            .WithSummary("Withdraws a pending request. Hosted clients only.");
        client.MapGet("/consent/pending", ListPendingAsync).WithName("ListPendingConsent")
            .WithSummary("Undecided requests to the caller's user, from requesters it has not blocked. Hosted clients only.");
        client.MapPost("/consent/accept", AcceptAsync).WithName("AcceptConsent")
            .WithSummary("Grants consent (also preemptively); sent to the requester's provider, and held messages are released. Hosted clients only.");
        client.MapPost("/consent/reject", RejectAsync).WithName("RejectConsent")
            .WithSummary("Rejects a pending request; recorded here, nothing is sent. Hosted clients only.");
        client.MapPost("/consent/revoke", RevokeAsync).WithName("RevokeConsent")
            .WithSummary("Revokes consent; sent to the requester's provider unless Consent:SendRevocations is off. Hosted clients only.");
        client.MapPost("/consent/blocks", BlockAsync).WithName("BlockRequester")
            .WithSummary("Blocks a requester user or a whole requester domain: its requests are dropped and the gate refuses it. Hosted clients only.");
        client.MapGet("/consent/blocks", ListBlocksAsync).WithName("ListBlocks").WithSummary("Who the caller's user blocked. Hosted clients only.");
        client.MapDelete("/consent/blocks", UnblockAsync).WithName("Unblock").WithSummary("Lifts a block (?value=user URI or domain). Hosted clients only.");
        client.MapPut("/consent-mode", SetModeAsync).WithName("SetConsentMode")
            .WithSummary("Sets the caller's user's consent mode: open, quarantine or consent-required. Hosted clients only.");
        client.MapPost("/consent/abuse-reports", ReportAbuseAsync).WithName("ReportAbuse")
            .WithSummary("Reports abuse in a room: stored here when the room is hosted here, otherwise sent to the room's provider. Hosted clients only.");

        app.MapGet("/v1/delivery/abuse-reports", ListAbuseReportsAsync).WithName("ListAbuseReports").WithTags("Consent")
            .WithSummary("The most recent abuse reports received for rooms hosted here. Operator only.").RequireAuthorization(Policies.Operator);
        return app;
    }

    private static async Task<Results<Accepted<OutgoingConsentView>, ProblemHttpResult>> RequestAsync(
        ConsentTargetBody body, ClaimsPrincipal principal, ConsentService consent, KeyedRateLimiter limiter, IOptions<ConsentOptions> options,
        HttpContext http, CancellationToken ct)
    {
        var me = principal.HostedUser();
        if (!TryPair(me, body.Target, "target", body.Room, requesterIsMe: true, out var pair, out var problem))
        {
            return problem!;
        }

        var decision = await limiter.AcquireAsync("consent-user:" + me, new RateLimitPolicy(options.Value.RequestsPerUser, options.Value.Window), 1, ct);
        if (RateLimitResponses.Answer(http, "consent-requests", decision) is { } refused)
        {
            return refused;
        }

        var state = await consent.RequestAsync(pair!, ct);
        return TypedResults.Accepted("/v1/client/consent/requests", new OutgoingConsentView(pair!.Target, pair.Room, StateName(state, outgoing: true)));
    }

    private static async Task<Ok<OutgoingConsentView[]>> ListRequestsAsync(ClaimsPrincipal principal, ConsentStore store, CancellationToken ct)
    {
        var list = await store.ListOutgoingAsync(principal.HostedUser(), ConsentService.ListLimit, ct);
        return TypedResults.Ok(list.Select(o => new OutgoingConsentView(o.Target, o.Room, StateName(o.State, outgoing: true), o.RequestedAt, o.UpdatedAt)).ToArray());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> CancelAsync(
        ConsentTargetBody body, ClaimsPrincipal principal, ConsentService consent, CancellationToken ct)
    {
        if (!TryPair(principal.HostedUser(), body.Target, "target", body.Room, requesterIsMe: true, out var pair, out var problem))
        {
            return problem!;
        }

        return await consent.CancelAsync(pair!, ct) ? TypedResults.NoContent() : Problems.NotFound("No pending request to that user (and room).");
    }

    private static async Task<Ok<IncomingConsentView[]>> ListPendingAsync(ClaimsPrincipal principal, ConsentStore store, CancellationToken ct)
    {
        var list = await store.ListPendingAsync(principal.HostedUser(), ConsentService.ListLimit, ct);
        return TypedResults.Ok(list.Select(i => new IncomingConsentView(i.Requester, i.Room, i.RequestedAt)).ToArray());
    }

    private static Task<Results<NoContent, ProblemHttpResult>> AcceptAsync(ConsentRequesterBody body, ClaimsPrincipal principal, ConsentService consent, CancellationToken ct) =>
        DecideAsync(body, principal, consent.AcceptAsync, "Nothing to accept.", ct);

    private static Task<Results<NoContent, ProblemHttpResult>> RejectAsync(ConsentRequesterBody body, ClaimsPrincipal principal, ConsentService consent, CancellationToken ct) =>
        DecideAsync(body, principal, consent.RejectAsync, "No pending request from that user (and room).", ct);

    private static Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(ConsentRequesterBody body, ClaimsPrincipal principal, ConsentService consent, CancellationToken ct) =>
        DecideAsync(body, principal, consent.RevokeAsync, "No consent or request from that user (and room) to revoke.", ct);

    private static async Task<Results<NoContent, ProblemHttpResult>> DecideAsync(
        ConsentRequesterBody body, ClaimsPrincipal principal, Func<ConsentPair, CancellationToken, Task<bool>> decide, string notFound, CancellationToken ct)
    {
        if (!TryPair(principal.HostedUser(), body.Requester, "requester", body.Room, requesterIsMe: false, out var pair, out var problem))
        {
            return problem!;
        }

        return await decide(pair!, ct) ? TypedResults.NoContent() : Problems.NotFound(notFound);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> BlockAsync(
        BlockBody body, ClaimsPrincipal principal, ConsentService consent, CancellationToken ct)
    {
        if (!TryBlocked(body.User, body.Domain, out var blocked, out var problem))
        {
            return problem!;
        }

        await consent.BlockAsync(principal.HostedUser(), blocked!, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<string[]>> ListBlocksAsync(ClaimsPrincipal principal, ConsentStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListBlocksAsync(principal.HostedUser(), ct)).ToArray());

    private static async Task<Results<NoContent, ProblemHttpResult>> UnblockAsync(
        string? value, ClaimsPrincipal principal, ConsentStore store, CancellationToken ct)
    {
        var isUser = value?.StartsWith("mimi:", StringComparison.OrdinalIgnoreCase) == true;
        if (!TryBlocked(isUser ? value : null, isUser ? null : value, out var blocked, out var problem))
        {
            return problem!;
        }

        return await store.UnblockAsync(principal.HostedUser(), blocked!, ct) ? TypedResults.NoContent() : Problems.NotFound($"'{blocked}' is not blocked.");
    }

    private static async Task<Results<Ok<ConsentModeBody>, ProblemHttpResult>> SetModeAsync(
        ConsentModeBody body, ClaimsPrincipal principal, ConsentService consent, CancellationToken ct)
    {
        if (body.Mode is null || !HostedUsersApi.Modes.TryGetValue(body.Mode, out var mode))
        {
            return Problems.InvalidRequest("mode", "mode must be open, quarantine or consent-required.");
        }

        return await consent.SetModeAsync(principal.HostedUser(), mode, ct)
            ? TypedResults.Ok(new ConsentModeBody(HostedUsersApi.ModeName(mode)))
            : Problems.NotFound("The caller's user no longer exists.");
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> ReportAbuseAsync(
        AbuseReportBody body, ClaimsPrincipal principal, ConsentService consent, CancellationToken ct)
    {
        if (!Ssi.TryParse(body.Room, out var room, out var roomError) || room.Kind != SsiKind.Room)
        {
            return Problems.InvalidIdentifier("room", roomError?.Code ?? "not-a-room", roomError?.Message ?? "room must be a room URI (mimi://domain/r/name).");
        }

        if (!ConsentMimiApi.TryUser(body.AllegedAbuser, "allegedAbuser", out var abuser, out var problem))
        {
            return problem!;
        }

        if (body.Reason is < 0 or > 255)
        {
            return Problems.InvalidRequest("reason", "reason is an AbuseType code, 0 to 255.");
        }

        if (body.Note is { Length: > 2000 })
        {
            return Problems.InvalidRequest("note", "note is at most 2000 characters.");
        }

        var report = new AbuseReport(principal.HostedUser(), abuser!.Value, (byte)(body.Reason ?? 0), body.Note ?? "", default, AppDataDictionary.Empty);
        await consent.ReportAbuseAsync(room.Value, report, ct);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Ok<AbuseReportView[]>> ListAbuseReportsAsync(AbuseReportStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(100, ct))
            .Select(r => new AbuseReportView(r.Id, r.Source, r.Room, r.ReportingUser, r.AllegedAbuser, r.Reason, r.Note, r.MessageCount, r.ReceivedAt)).ToArray());

    private static bool TryPair(string me, string? other, string field, string? roomText, bool requesterIsMe, out ConsentPair? pair, out ProblemHttpResult? problem)
    {
        pair = null;
        if (!ConsentMimiApi.TryUser(other, field, out var user, out problem))
        {
            return false;
        }

        if (user!.Value == me)
        {
            problem = Problems.InvalidRequest(field, $"{field} is the caller's own user.");
            return false;
        }

        string? room = null;
        if (roomText is not null)
        {
            if (!Ssi.TryParse(roomText, out var parsed, out var error) || parsed.Kind != SsiKind.Room)
            {
                problem = Problems.InvalidIdentifier("room", error?.Code ?? "not-a-room", error?.Message ?? "room must be a room URI (mimi://domain/r/name).");
                return false;
            }

            room = parsed.Value;
        }

        pair = requesterIsMe ? new ConsentPair(me, user.Value, room) : new ConsentPair(user.Value, me, room);
        return true;
    }

    private static bool TryBlocked(string? user, string? domain, out string? blocked, out ProblemHttpResult? problem)
    {
        blocked = null;
        problem = null;
        if ((user is null) == (domain is null))
        {
            problem = Problems.InvalidRequest("user", "Give exactly one of user (a user URI) or domain (a provider domain).");
            return false;
        }

        if (user is not null)
        {
            if (!ConsentMimiApi.TryUser(user, "user", out var parsed, out problem))
            {
                return false;
            }

            blocked = parsed!.Value;
            return true;
        }

        if (!ProviderDomain.TryNormalize(domain, out var normalized, out var error))
        {
            problem = Problems.InvalidIdentifier("domain", error.Code, error.Message);
            return false;
        }

        blocked = normalized;
        return true;
    }

    internal static string StateName(ConsentState state, bool outgoing) => state switch
    {
        ConsentState.Requested => "pending",
        ConsentState.Granted => "granted",
        ConsentState.Revoked => "revoked",
        ConsentState.Cancelled => "cancelled",
        // The requester never learns of a rejection.
        ConsentState.Rejected => outgoing ? "pending" : "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
