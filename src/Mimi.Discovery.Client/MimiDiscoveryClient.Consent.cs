using System.Net.Http.Json;

namespace Mimi.Discovery.Client;

/// <summary>The consent API of a hosted user's client (<c>/v1/client/consent</c>).</summary>
public sealed partial class MimiDiscoveryClient
{
    /// <summary>Asks <paramref name="target"/> (a user URI of any provider) for consent, optionally for one room.</summary>
    public Task<ConsentRequestState> RequestConsentAsync(string target, string? room = null, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/v1/client/consent/requests", new ConsentTargetBody(target, room), ConsentClientJson.Default.ConsentTargetBody,
            ConsentClientJson.Default.ConsentRequestState, ct);

    /// <summary>Withdraws a pending request.</summary>
    public Task CancelConsentRequestAsync(string target, string? room = null, CancellationToken ct = default) =>
        PostNoContentAsync("/v1/client/consent/requests/cancel", JsonContent.Create(new ConsentTargetBody(target, room), ConsentClientJson.Default.ConsentTargetBody), ct);

    /// <summary>What the caller's user asked for, newest first.</summary>
    public Task<ConsentRequestState[]> ListConsentRequestsAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "/v1/client/consent/requests", ConsentClientJson.Default.ConsentRequestStateArray, ct);

    /// <summary>Undecided requests to the caller's user.</summary>
    public Task<PendingConsent[]> ListPendingConsentAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "/v1/client/consent/pending", ConsentClientJson.Default.PendingConsentArray, ct);

    /// <summary>Grants <paramref name="requester"/> consent (for <paramref name="room"/>, or every room).</summary>
    public Task AcceptConsentAsync(string requester, string? room = null, CancellationToken ct = default) => DecideAsync("accept", requester, room, ct);

    /// <summary>Rejects a pending request (nothing is sent to the requester).</summary>
    public Task RejectConsentAsync(string requester, string? room = null, CancellationToken ct = default) => DecideAsync("reject", requester, room, ct);

    /// <summary>Revokes consent given to <paramref name="requester"/>.</summary>
    public Task RevokeConsentAsync(string requester, string? room = null, CancellationToken ct = default) => DecideAsync("revoke", requester, room, ct);

    /// <summary>Blocks a requester user URI.</summary>
    public Task BlockUserAsync(string user, CancellationToken ct = default) =>
        PostNoContentAsync("/v1/client/consent/blocks", JsonContent.Create(new BlockBody(user, null), ConsentClientJson.Default.BlockBody), ct);

    /// <summary>Blocks every user of a requester domain.</summary>
    public Task BlockDomainAsync(string domain, CancellationToken ct = default) =>
        PostNoContentAsync("/v1/client/consent/blocks", JsonContent.Create(new BlockBody(null, domain), ConsentClientJson.Default.BlockBody), ct);

    /// <summary>Who the caller's user blocked (user URIs and domains).</summary>
    public Task<string[]> ListBlocksAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "/v1/client/consent/blocks", ConsentClientJson.Default.StringArray, ct);

    /// <summary>Lifts a block on a user URI or a domain.</summary>
    public async Task UnblockAsync(string userOrDomain, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Delete, "/v1/client/consent/blocks?value=" + Uri.EscapeDataString(userOrDomain), null, true, ct);
        await EnsureAsync(response, ct);
    }

    /// <summary>Sets the caller's user's consent mode: <c>open</c>, <c>quarantine</c> or <c>consent-required</c>.</summary>
    public async Task SetConsentModeAsync(string mode, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Put, "/v1/client/consent-mode",
            JsonContent.Create(new ConsentModeBody(mode), ConsentClientJson.Default.ConsentModeBody), true, ct);
        await EnsureAsync(response, ct);
    }

    /// <summary>Reports abuse by <paramref name="allegedAbuser"/> in <paramref name="room"/> to the room's provider.</summary>
    public Task ReportAbuseAsync(string room, string allegedAbuser, int reason = 0, string? note = null, CancellationToken ct = default) =>
        PostNoContentAsync("/v1/client/consent/abuse-reports",
            JsonContent.Create(new AbuseReportBody(room, allegedAbuser, reason, note), ConsentClientJson.Default.AbuseReportBody), ct);

    /// <summary>The most recent abuse reports received here (this instance's operator).</summary>
    public Task<AbuseReportInfo[]> ListAbuseReportsAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "/v1/delivery/abuse-reports", ConsentClientJson.Default.AbuseReportInfoArray, ct);

    private Task DecideAsync(string action, string requester, string? room, CancellationToken ct) =>
        PostNoContentAsync("/v1/client/consent/" + action,
            JsonContent.Create(new ConsentRequesterBody(requester, room), ConsentClientJson.Default.ConsentRequesterBody), ct);

    private async Task PostNoContentAsync(string path, HttpContent content, CancellationToken ct)
    {
        using var response = await SendRawAsync(HttpMethod.Post, path, content, true, ct);
        await EnsureAsync(response, ct);
    }
}
