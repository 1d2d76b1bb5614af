using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Tests.Fixtures;
using static Mimi.Discovery.Server.Tests.Consent.PeerRequests;

namespace Mimi.Discovery.Server.Tests.Consent;

/// <summary>alpha.test and beta.test, with small caps on undecided requests so the tests can reach them.</summary>
public sealed class ConsentNetworkFixture : IAsyncLifetime
{
    public ProviderNetwork Network { get; private set; } = null!;

    public async Task InitializeAsync() => Network = await ProviderNetwork.StartAsync(["alpha.test", "beta.test"], settings: new Dictionary<string, string?>
    {
        ["Consent:MaxPendingPerRequesterDomain"] = "2",
        ["Consent:MaxPendingPerTarget"] = "3",
        ["Consent:MaxBodyBytes"] = "4096",
    });

    public async Task DisposeAsync() => await Network.DisposeAsync();
}

/// <summary>
/// Consent between users of two providers, end to end: client API, outbox, MIMI endpoints, gate; and the count of
/// requests received from peers by outcome, which only the receiver sees.
/// </summary>
public sealed class ConsentNetworkTests(ConsentNetworkFixture fixture) : IClassFixture<ConsentNetworkFixture>
{
    private ProviderInstance Alpha => fixture.Network["alpha.test"];

    private ProviderInstance Beta => fixture.Network["beta.test"];

    private IConsentGate BetaGate => Beta.Service!.Services.GetRequiredService<IConsentGate>();

    private static string User(string domain, string name) => $"mimi://{domain}/u/{name}";

    private static byte[] Entry(ConsentOperation operation, string requester, string target, string? room = null) =>
        ConsentEntry.For(operation, new ConsentScope(requester, target, room)).Encode();

    private static async Task<bool> HasPendingFromAsync(MimiDiscoveryClient client, string requester) =>
        (await client.ListPendingConsentAsync()).Any(p => p.Requester == requester);

    private static async Task<string?> StateOfAsync(MimiDiscoveryClient client, string target) =>
        (await client.ListConsentRequestsAsync()).FirstOrDefault(r => r.Target == target)?.State;

    [Fact]
    public async Task Request_reaches_the_target_as_pending_and_its_grant_reaches_the_requester()
    {
        var (alice, _) = await Alpha.AddUserAsync("alice", "alice-phone");
        var (bob, _) = await Beta.AddUserAsync("bob", "bob-phone", "consent-required");
        var aliceUri = User("alpha.test", "alice");
        var bobUri = User("beta.test", "bob");

        var sent = await alice.RequestConsentAsync(bobUri);
        Assert.Equal("pending", sent.State);
        Assert.True(await EventuallyAsync(() => HasPendingFromAsync(bob, aliceUri)), "the request never reached beta");
        Assert.Equal(ConsentDecision.NoConsent, await BetaGate.CheckClaimAsync(aliceUri, bobUri, null, default));
        Assert.Equal("pending", await StateOfAsync(alice, bobUri));

        await bob.AcceptConsentAsync(aliceUri);
        Assert.Empty(await bob.ListPendingConsentAsync());
        Assert.Equal(ConsentDecision.Allowed, await BetaGate.CheckClaimAsync(aliceUri, bobUri, null, default));
        Assert.True(await EventuallyAsync(async () => await StateOfAsync(alice, bobUri) == "granted"), "alpha never saw the grant");

        // Revocation travels the same way and closes the gate again.
        await bob.RevokeConsentAsync(aliceUri);
        Assert.Equal(ConsentDecision.NoConsent, await BetaGate.CheckClaimAsync(aliceUri, bobUri, null, default));
        Assert.True(await EventuallyAsync(async () => await StateOfAsync(alice, bobUri) == "revoked"), "alpha never saw the revocation");
    }

    [Fact]
    public async Task Rejection_is_recorded_at_the_target_and_never_told_to_the_requester()
    {
        var (dora, _) = await Alpha.AddUserAsync("dora", "dora-phone");
        var (erin, _) = await Beta.AddUserAsync("erin", "erin-phone", "consent-required");
        await dora.RequestConsentAsync(User("beta.test", "erin"));
        Assert.True(await EventuallyAsync(() => HasPendingFromAsync(erin, User("alpha.test", "dora"))));

        await erin.RejectConsentAsync(User("alpha.test", "dora"));
        Assert.Empty(await erin.ListPendingConsentAsync());
        await Task.Delay(500);
        Assert.Equal("pending", await StateOfAsync(dora, User("beta.test", "erin")));
        var again = await Assert.ThrowsAsync<MimiApiException>(() => erin.RejectConsentAsync(User("alpha.test", "dora")));
        Assert.Equal(404, again.Status);
    }

    [Fact]
    public async Task Quarantine_holds_requests_up_to_the_caps_and_drops_the_rest_silently()
    {
        var (quinn, _) = await Beta.AddUserAsync("quinn", "quinn-phone", "quarantine");
        var quinnUri = User("beta.test", "quinn");
        using var recorder = new InstrumentRecorder(Beta.Service!.Services);
        for (var i = 0; i < 4; i++)
        {
            var response = await PostAsync(Alpha, Beta, "requestConsent", quinnUri, Entry(ConsentOperation.Request, User("alpha.test", $"q{i}"), quinnUri));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        // Two per requester domain.
        Assert.Equal(["mimi://alpha.test/u/q0", "mimi://alpha.test/u/q1"], (await quinn.ListPendingConsentAsync()).Select(p => p.Requester).Order());
        Assert.Equal(ConsentDecision.Quarantined, await BetaGate.CheckClaimAsync(User("alpha.test", "q0"), quinnUri, null, default));

        // Local requesters fill the total of three; the fourth is dropped, yet looks sent to its requester.
        var (local1, _) = await Beta.AddUserAsync("local1", "local1-phone");
        var (local2, _) = await Beta.AddUserAsync("local2", "local2-phone");
        await local1.RequestConsentAsync(quinnUri);
        Assert.Equal("pending", (await local2.RequestConsentAsync(quinnUri)).State);
        var pending = (await quinn.ListPendingConsentAsync()).Select(p => p.Requester).ToArray();
        Assert.Equal(3, pending.Length);
        Assert.Contains(User("beta.test", "local1"), pending);
        Assert.DoesNotContain(User("beta.test", "local2"), pending);

        // Accepting one frees a place.
        await quinn.AcceptConsentAsync(User("alpha.test", "q0"));
        Assert.Equal(ConsentDecision.Allowed, await BetaGate.CheckClaimAsync(User("alpha.test", "q0"), quinnUri, null, default));
        await PostAsync(Alpha, Beta, "requestConsent", quinnUri, Entry(ConsentOperation.Request, User("alpha.test", "q9"), quinnUri));
        Assert.Contains(User("alpha.test", "q9"), (await quinn.ListPendingConsentAsync()).Select(p => p.Requester));

        // From the peer: q0, q1 and q9 recorded, q2 and q3 over the cap; the local requests are not requestConsent.
        AssertOutcomes(recorder, ("recorded", 3), ("over-limit", 2));
    }

    [Fact]
    public async Task Unknown_targets_and_blocked_requesters_get_the_same_answer_as_a_recorded_request()
    {
        var (fay, _) = await Beta.AddUserAsync("fay", "fay-phone", "open");
        var (gus, _) = await Beta.AddUserAsync("gus", "gus-phone", "consent-required");
        await gus.BlockUserAsync(User("alpha.test", "mallory"));
        await fay.BlockDomainAsync("alpha.test");
        Assert.Equal(["alpha.test"], await fay.ListBlocksAsync());
        using var recorder = new InstrumentRecorder(Beta.Service!.Services);

        var recorded = await PostAsync(Alpha, Beta, "requestConsent", User("beta.test", "gus"),
            Entry(ConsentOperation.Request, User("alpha.test", "honest"), User("beta.test", "gus")));
        var unknown = await PostAsync(Alpha, Beta, "requestConsent", User("beta.test", "nobody"),
            Entry(ConsentOperation.Request, User("alpha.test", "honest"), User("beta.test", "nobody")));
        var blockedUser = await PostAsync(Alpha, Beta, "requestConsent", User("beta.test", "gus"),
            Entry(ConsentOperation.Request, User("alpha.test", "mallory"), User("beta.test", "gus")));
        var blockedDomain = await PostAsync(Alpha, Beta, "requestConsent", User("beta.test", "fay"),
            Entry(ConsentOperation.Request, User("alpha.test", "honest"), User("beta.test", "fay")));

        var expected = await DescribeAsync(recorded);
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        Assert.Equal(expected, await DescribeAsync(unknown));
        Assert.Equal(expected, await DescribeAsync(blockedUser));
        Assert.Equal(expected, await DescribeAsync(blockedDomain));
        AssertOutcomes(recorder, ("recorded", 1), ("unknown-target", 1), ("blocked", 2));

        Assert.Equal([User("alpha.test", "honest")], (await gus.ListPendingConsentAsync()).Select(p => p.Requester));
        Assert.Empty(await fay.ListPendingConsentAsync());
        Assert.Equal(ConsentDecision.NoConsent, await BetaGate.CheckClaimAsync(User("alpha.test", "honest"), User("beta.test", "fay"), null, default));

        await fay.UnblockAsync("alpha.test");
        Assert.Equal(ConsentDecision.Allowed, await BetaGate.CheckClaimAsync(User("alpha.test", "honest"), User("beta.test", "fay"), null, default));
    }

    // Everything but the Date and the remaining-quota count (which falls by one per request, whatever the target).
    private static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key is not ("Date" or "RateLimit"))
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}");
        var rateLimit = response.Headers.Contains("RateLimit") ? "RateLimit present" : "RateLimit absent";
        return $"{(int)response.StatusCode}\n{string.Join("\n", headers)}\n{rateLimit}\n{Convert.ToHexString(await response.Content.ReadAsByteArrayAsync())}";
    }

    [Fact]
    public async Task A_duplicate_message_id_is_answered_201_and_processed_once()
    {
        var (hal, _) = await Beta.AddUserAsync("hal", "hal-phone");
        var halUri = User("beta.test", "hal");
        var requester = User("alpha.test", "ivy");
        var request = Entry(ConsentOperation.Request, requester, halUri);
        using var recorder = new InstrumentRecorder(Beta.Service!.Services);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(Alpha, Beta, "requestConsent", halUri, request, messageId: "msg-request-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(Alpha, Beta, "requestConsent", halUri,
            Entry(ConsentOperation.Cancel, requester, halUri), messageId: "msg-cancel-1")).StatusCode);
        Assert.Empty(await hal.ListPendingConsentAsync());

        // The request again under its old id (a retried delivery): answered the same, not processed again.
        var replayed = await PostAsync(Alpha, Beta, "requestConsent", halUri, request, messageId: "msg-request-1");
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Empty(await hal.ListPendingConsentAsync());

        // A cancellation under a new id, with nothing pending: answered the same, nothing to do.
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(Alpha, Beta, "requestConsent", halUri,
            Entry(ConsentOperation.Cancel, requester, halUri), messageId: "msg-cancel-2")).StatusCode);

        // Under a new id it is a new request.
        await PostAsync(Alpha, Beta, "requestConsent", halUri, request, messageId: "msg-request-2");
        Assert.Single(await hal.ListPendingConsentAsync());
        AssertOutcomes(recorder, ("recorded", 3), ("duplicate", 1), ("nothing-to-cancel", 1));
    }

    // The requests beta received from its peer, by outcome, are exactly these (and their tags are bounded words).
    private static void AssertOutcomes(InstrumentRecorder recorder, params (string Outcome, double Count)[] expected)
    {
        var counted = recorder.Measurements.Where(m => m.Instrument == "mimi.consent.requests")
            .GroupBy(m => (string)m.Tags["mimi.consent.outcome"]!).ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(expected.ToDictionary(e => e.Outcome, e => e.Count), counted);
        TagValues.AssertBounded(recorder.Measurements, ["alpha.test", "beta.test"]);
    }

    [Theory]
    [InlineData("truncated", "truncated")]
    [InlineData("oversized", "too-large")]
    [InlineData("garbage", "unknown-enum-value")]
    [InlineData("trailing", "trailing-bytes")]
    public async Task Malformed_bodies_get_a_400_problem_naming_the_decode_error(string kind, string expectedCode)
    {
        var target = User("beta.test", "bob");
        var valid = Entry(ConsentOperation.Request, User("alpha.test", "alice"), target);
        var body = kind switch
        {
            "truncated" => valid[..(valid.Length - 3)],
            "oversized" => [.. valid, .. new byte[5000]],
            "garbage" => [0x09, 0xFF, 0xFF, 0xFF, 0xFF, 0x00],
            _ => [.. valid, 0x00],
        };
        var response = await PostAsync(Alpha, Beta, "requestConsent", target, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("urn:mimi-discovery:problem:invalid-message", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(expectedCode, problem.RootElement.GetProperty("code").GetString());
        if (kind == "oversized")
        {
            Assert.Contains("too large", problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Scope_must_match_the_calling_peer_and_this_provider()
    {
        var target = User("beta.test", "bob");
        var spoofed = await PostAsync(Alpha, Beta, "requestConsent", target, Entry(ConsentOperation.Request, User("gamma.test", "eve"), target));
        Assert.Equal(HttpStatusCode.Forbidden, spoofed.StatusCode);
        var elsewhere = await PostAsync(Alpha, Beta, "requestConsent", User("gamma.test", "bob"),
            Entry(ConsentOperation.Request, User("alpha.test", "alice"), User("gamma.test", "bob")));
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        var grant = await PostAsync(Alpha, Beta, "requestConsent", target, Entry(ConsentOperation.Grant, User("alpha.test", "alice"), target));
        Assert.Equal(HttpStatusCode.BadRequest, grant.StatusCode);
        var mismatch = await PostAsync(Alpha, Beta, "requestConsent", User("beta.test", "other"), Entry(ConsentOperation.Request, User("alpha.test", "alice"), target));
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        var json = await PostAsync(Alpha, Beta, "requestConsent", target, Entry(ConsentOperation.Request, User("alpha.test", "alice"), target), contentType: "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }

    [Fact]
    public async Task Wrong_or_replayed_peer_signatures_are_401()
    {
        var target = User("beta.test", "bob");
        var body = Entry(ConsentOperation.Request, User("alpha.test", "alice"), target);
        var path = PathFor("requestConsent", target);

        // Signed by a key alpha never enrolled.
        using var impostor = ClientCredentials.GenerateEs256("alpha.test");
        var forged = PeerRequestToken.Create(impostor, "beta.test", "POST", path, body, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Alpha, Beta, "requestConsent", target, body, token: forged)).StatusCode);

        // Signed for another body.
        var otherBody = Sign(Alpha, "beta.test", path, Entry(ConsentOperation.Cancel, User("alpha.test", "alice"), target));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Alpha, Beta, "requestConsent", target, body, token: otherBody)).StatusCode);

        var token = Sign(Alpha, "beta.test", path, body);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(Alpha, Beta, "requestConsent", target, body, token: token)).StatusCode);
        var replay = await PostAsync(Alpha, Beta, "requestConsent", target, body, token: token);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains("replay", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A hosted client's bearer token is no peer credential.
        var (client, _) = await Alpha.AddUserAsync("olga", "olga-phone");
        using var http = new HttpClient { BaseAddress = new Uri(Beta.Url) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await client.GetAccessTokenAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(path, new ByteArrayContent(body))).StatusCode);
    }

    [Fact]
    public async Task A_request_queued_while_the_target_provider_is_down_is_delivered_when_it_is_back()
    {
        var (kim, _) = await Alpha.AddUserAsync("kim", "kim-phone");
        await Beta.AddUserAsync("lou", "lou-phone");
        Beta.Stop();
        try
        {
            await kim.RequestConsentAsync(User("beta.test", "lou"));
            await Task.Delay(1500);
            using var http = Alpha.Service!.CreateClient();
            http.DefaultRequestHeaders.Authorization = new("Bearer", await Alpha.Operator().GetAccessTokenAsync());
            using var outbox = JsonDocument.Parse(await http.GetStringAsync("/v1/delivery/outbox"));
            Assert.True(outbox.RootElement.GetProperty("pending").GetInt64() >= 1);
        }
        finally
        {
            Beta.Start();
        }

        var lou = Beta.As((await Beta.AddUserAsync("lou", "lou-tablet")).Credentials);
        Assert.True(await EventuallyAsync(() => HasPendingFromAsync(lou, User("alpha.test", "kim")), TimeSpan.FromSeconds(40)), "not delivered after the restart");
    }

    [Fact]
    public async Task Reports_of_abuse_reach_the_rooms_provider_and_its_operator()
    {
        var (nina, _) = await Alpha.AddUserAsync("nina", "nina-phone");
        await nina.ReportAbuseAsync("mimi://beta.test/r/lobby", User("beta.test", "troll"), reason: 0, note: "spam");
        var op = Beta.Operator();
        Assert.True(await EventuallyAsync(async () => (await op.ListAbuseReportsAsync()).Any(r => r.Room == "mimi://beta.test/r/lobby")));
        var report = (await op.ListAbuseReportsAsync()).First(r => r.Room == "mimi://beta.test/r/lobby");
        Assert.Equal(("alpha.test", User("alpha.test", "nina"), User("beta.test", "troll"), "spam"), (report.Source, report.ReportingUser, report.AllegedAbuser, report.Note));

        var notHere = await PostAsync(Alpha, Beta, "reportAbuse", "mimi://alpha.test/r/lobby",
            new AbuseReport("", User("beta.test", "troll"), 0, "", default, AppDataDictionary.Empty).Encode());
        Assert.Equal(HttpStatusCode.BadRequest, notHere.StatusCode);
    }

    [Fact]
    public async Task Client_api_checks_its_input_and_sets_the_consent_mode()
    {
        var (pat, _) = await Beta.AddUserAsync("pat", "pat-phone", "consent-required");
        var self = await Assert.ThrowsAsync<MimiApiException>(() => pat.RequestConsentAsync(User("beta.test", "pat")));
        Assert.Equal(400, self.Status);
        var notUser = await Assert.ThrowsAsync<MimiApiException>(() => pat.RequestConsentAsync("mimi://alpha.test/r/room"));
        Assert.Equal(400, notUser.Status);
        var badMode = await Assert.ThrowsAsync<MimiApiException>(() => pat.SetConsentModeAsync("sometimes"));
        Assert.Equal(400, badMode.Status);

        var requester = User("alpha.test", "ray");
        Assert.Equal(ConsentDecision.NoConsent, await BetaGate.CheckClaimAsync(requester, User("beta.test", "pat"), null, default));
        await pat.SetConsentModeAsync("open");
        Assert.Equal(ConsentDecision.Allowed, await BetaGate.CheckClaimAsync(requester, User("beta.test", "pat"), null, default));
        await pat.SetConsentModeAsync("quarantine");
        Assert.Equal(ConsentDecision.Quarantined, await BetaGate.CheckClaimAsync(requester, User("beta.test", "pat"), null, default));
    }

    [Fact]
    public async Task The_cli_lists_and_accepts_requests_as_a_hosted_client()
    {
        var (ann, _) = await Alpha.AddUserAsync("ann", "ann-phone");
        var (_, credentials) = await Beta.AddUserAsync("ted", "ted-laptop", "consent-required");
        var keyFile = Path.Combine(Beta.DataDirectory, "ted-laptop.key");
        credentials.Save(keyFile);
        await ann.RequestConsentAsync(User("beta.test", "ted"));
        var ted = Beta.As(credentials);
        Assert.True(await EventuallyAsync(() => HasPendingFromAsync(ted, User("alpha.test", "ann"))));

        var cli = Path.Combine(AppContext.BaseDirectory, "mimi.dll");
        var identity = $"--client-id mimi://beta.test/d/ted-laptop --key {keyFile} --server {Beta.Url}";
        var (code, output) = await Tools.RunAsync("dotnet", $"{cli} consent pending {identity}", Beta.DataDirectory);
        Assert.True(code == 0, output);
        Assert.Contains(User("alpha.test", "ann"), output, StringComparison.Ordinal);

        (code, output) = await Tools.RunAsync("dotnet", $"{cli} consent accept {User("alpha.test", "ann")} {identity}", Beta.DataDirectory);
        Assert.True(code == 0, output);
        Assert.Equal(ConsentDecision.Allowed, await BetaGate.CheckClaimAsync(User("alpha.test", "ann"), User("beta.test", "ted"), null, default));
        Assert.True(await EventuallyAsync(async () => await StateOfAsync(ann, User("beta.test", "ted")) == "granted"));
    }
}
