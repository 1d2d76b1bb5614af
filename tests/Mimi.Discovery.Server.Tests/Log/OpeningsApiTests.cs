using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Authentication;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log;

/// <summary>
/// <c>POST /v1/log/indexes</c> and <c>POST /v1/log/openings</c> (docs/accountability.md §4): given to a provider that
/// holds a live credential for the identifier or proved control of it in the last hour, to nobody else, and in a way
/// that says nothing about identifiers the caller does not hold; charged against the lookup quota.
/// </summary>
public sealed class OpeningsApiTests : IDisposable
{
    private const string Bob = "tel:+15550001111";
    private const string Carol = "tel:+15550002222";
    private readonly CodeGateway _gateway = new();
    private readonly ClientCredentials _user = ClientCredentials.GenerateEs256("u");
    private readonly List<ServiceFactory> _services = [];

    public void Dispose()
    {
        foreach (var service in _services)
        {
            service.Dispose();
        }

        _gateway.Dispose();
        _user.Dispose();
    }

    [Fact]
    public async Task The_holder_gets_its_identifiers_index_and_openings_and_another_provider_learns_nothing()
    {
        var service = Start();
        var (beta, _) = await service.EnrolAsync("beta.test", trusted: true);
        var (gamma, _) = await service.EnrolAsync("gamma.test", trusted: true);
        var bob = await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _user.SubjectPublicKeyInfo, attested: true);
        var carol = await gamma.IssueCredentialAsync(Carol, "mimi://gamma.test/u/carol", _user.SubjectPublicKeyInfo, attested: true);
        var betaHttp = await IndexedLog.BearerAsync(service, beta);
        var gammaHttp = await IndexedLog.BearerAsync(service, gamma);
        var (current, keys) = await IndexedLog.VrfKeysAsync(service);

        var held = await PostAsync(betaHttp, "/v1/log/indexes", new { identifiers = new[] { "tel:+1-555-000-1111" } });
        var opened = await PostAsync(betaHttp, "/v1/log/openings", new { logIndexes = new[] { bob.LogIndex } });
        var othersIndex = await PostAsync(gammaHttp, "/v1/log/indexes", new { identifiers = new[] { Bob } });
        var unknownIndex = await PostAsync(gammaHttp, "/v1/log/indexes", new { identifiers = new[] { "tel:+15550009999" } });
        var othersOpening = await PostAsync(gammaHttp, "/v1/log/openings", new { logIndexes = new[] { bob.LogIndex, carol.LogIndex, 1_000_000 } });

        var index = Assert.Single(held.GetProperty("indexes").EnumerateArray());
        Assert.Equal(Bob, index.GetProperty("identifier").GetString());
        Assert.Equal(current, index.GetProperty("vrfKey").GetString());
        var entry = (await IndexedLog.EntryAsync(service, bob.LogIndex)).Entry;
        Assert.Equal(entry.IdentifierIndex, IndexedLog.VerifiedIndex(keys[current], Bob, IndexedLog.Base64(index, "proof")));
        Assert.Equal(entry.IdentifierIndex, IndexedLog.Base64(index, "identifierIndex"));
        Assert.Empty(held.GetProperty("refused").EnumerateArray());

        var opening = Assert.Single(opened.GetProperty("openings").EnumerateArray());
        Assert.Equal(bob.LogIndex, opening.GetProperty("logIndex").GetInt64());
        Assert.True(LogCommitment.Opens(entry.Commitment, IndexedLog.Base64(opening, "opening"), IndexedLog.Base64(opening, "value")));

        // A held identifier of another provider and an unknown one are refused alike.
        Assert.Equal("""{"indexes":[],"refused":[{"identifier":"tel:+15550001111","reason":"not-holder"}]}""", othersIndex.GetRawText());
        Assert.Equal("""{"indexes":[],"refused":[{"identifier":"tel:+15550009999","reason":"not-holder"}]}""", unknownIndex.GetRawText());
        Assert.DoesNotContain(othersOpening.GetProperty("openings").EnumerateArray(), o => o.GetProperty("logIndex").GetInt64() == bob.LogIndex);
        Assert.Equal(
            new (long, string?)[] { (bob.LogIndex, OpeningRefusal.NotHolder), (1_000_000, OpeningRefusal.NotFound) },
            othersOpening.GetProperty("refused").EnumerateArray().Select(r => (r.GetProperty("logIndex").GetInt64(), r.GetProperty("reason").GetString())));
        Assert.Equal(carol.LogIndex, Assert.Single(othersOpening.GetProperty("openings").EnumerateArray()).GetProperty("logIndex").GetInt64());
    }

    [Fact]
    public async Task A_revoked_or_expired_credential_opens_nothing_unless_control_was_proven_in_the_last_hour()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = _gateway.Settings();
        settings["Authority:CredentialLifetime"] = "00:05:00";
        var service = Start(settings, time);
        var (beta, _) = await service.EnrolAsync("beta.test", trusted: true);
        var (delta, _) = await service.EnrolAsync("delta.test");
        var (epsilon, _) = await service.EnrolAsync("epsilon.test", trusted: true);
        var (zeta, _) = await service.EnrolAsync("zeta.test", trusted: true);
        const string Dave = "tel:+15550003333";
        // beta: attested, live; delta: by one-time code, then revoked; epsilon: attested, then revoked. zeta's entries are the probes.
        await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _user.SubjectPublicKeyInfo, attested: true);
        var challenge = await delta.CreateChallengeAsync(Carol, "mimi://delta.test/u/carol");
        var carol = await delta.IssueCredentialAsync(Carol, "mimi://delta.test/u/carol", _user.SubjectPublicKeyInfo, null, challenge.ChallengeId,
            _gateway.LastCodeFor(Carol));
        await delta.RevokeCredentialAsync(carol.Serial);
        var dave = await epsilon.IssueCredentialAsync(Dave, "mimi://epsilon.test/u/dave", _user.SubjectPublicKeyInfo, attested: true);
        var daveRevoked = await epsilon.RevokeCredentialAsync(dave.Serial);
        var probes = new Dictionary<string, long>();
        foreach (var sii in new[] { Bob, Carol, Dave })
        {
            probes[sii] = (await zeta.IssueCredentialAsync(sii, "mimi://zeta.test/u/z", _user.SubjectPublicKeyInfo, attested: true)).LogIndex;
        }

        Assert.Equal("", await RefusedAsync(service, beta, Bob, probes[Bob]));
        Assert.Equal("", await RefusedAsync(service, delta, Carol, probes[Carol]));
        Assert.Equal(OpeningRefusal.NotHolder, await RefusedAsync(service, epsilon, Dave, probes[Dave]));
        // Its own entries stay open to epsilon: they tell it nothing it does not know.
        var own = await PostAsync(await IndexedLog.BearerAsync(service, epsilon), "/v1/log/openings",
            new { logIndexes = new[] { dave.LogIndex, daveRevoked.RevocationLogIndex!.Value } });
        Assert.Equal(2, own.GetProperty("openings").GetArrayLength());

        // Six minutes on: beta's credential has expired; delta's code was verified six minutes ago.
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(OpeningRefusal.NotHolder, await RefusedAsync(service, beta, Bob, probes[Bob]));
        Assert.Equal("", await RefusedAsync(service, delta, Carol, probes[Carol]));

        // An hour after the code: delta no longer shows control.
        time.Advance(TimeSpan.FromMinutes(55));
        Assert.Equal(OpeningRefusal.NotHolder, await RefusedAsync(service, delta, Carol, probes[Carol]));
    }

    [Fact]
    public async Task Both_endpoints_refuse_anonymous_callers_with_401()
    {
        var http = Start().CreateClient();

        var indexes = await http.PostAsJsonAsync("/v1/log/indexes", new { identifiers = new[] { Bob } });
        var openings = await http.PostAsJsonAsync("/v1/log/openings", new { logIndexes = new[] { 0 } });

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (indexes.StatusCode, openings.StatusCode));
    }

    [Fact]
    public async Task Each_item_costs_one_lookup_and_over_the_quota_the_answer_is_429_with_retry_after()
    {
        var service = Start(new Dictionary<string, string?> { ["Lookup:LookupsPerRequester"] = "5" });
        var (beta, _) = await service.EnrolAsync("beta.test", trusted: true);
        var http = await IndexedLog.BearerAsync(service, beta);

        var three = await http.PostAsJsonAsync("/v1/log/indexes", new { identifiers = new[] { Bob, Carol, "tel:+15550003333" } });
        var two = await http.PostAsJsonAsync("/v1/log/openings", new { logIndexes = new[] { 5, 6 } });
        var over = await http.PostAsJsonAsync("/v1/log/openings", new { logIndexes = new[] { 7 } });
        var lookup = await Assert.ThrowsAsync<MimiApiException>(() => beta.LookupAsync([Bob]));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (three.StatusCode, two.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.NotNull(over.Headers.RetryAfter);
        Assert.Contains("\"lookup\";q=5", over.Headers.GetValues("RateLimit-Policy").Single());
        Assert.Equal(429, lookup.Status);
    }

    [Theory]
    [InlineData("/v1/log/indexes", """{}""", "identifiers")]
    [InlineData("/v1/log/indexes", """{"identifiers":[]}""", "identifiers")]
    [InlineData("/v1/log/indexes", """{"identifiers":["tel:+15550001111","bob"]}""", "identifiers[1]")]
    [InlineData("/v1/log/indexes", """{"identifiers":"tel:+15550001111"}""", "identifiers")]
    [InlineData("/v1/log/openings", """{}""", "logIndexes")]
    [InlineData("/v1/log/openings", """{"logIndexes":[1,-1]}""", "logIndexes[1]")]
    [InlineData("/v1/log/openings", """{"logIndexes":["one"]}""", "logIndexes[0]")]
    public async Task A_malformed_body_is_a_400_problem_naming_the_field(string path, string body, string field)
    {
        var service = Start();
        var (beta, _) = await service.EnrolAsync("beta.test");
        var http = await IndexedLog.BearerAsync(service, beta);

        var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task More_than_a_hundred_items_is_a_400_problem()
    {
        var service = Start();
        var (beta, _) = await service.EnrolAsync("beta.test");
        var http = await IndexedLog.BearerAsync(service, beta);

        var indexes = await http.PostAsJsonAsync("/v1/log/indexes", new { identifiers = Enumerable.Range(0, 101).Select(i => $"tel:+1555000{i:D4}").ToArray() });
        var openings = await http.PostAsJsonAsync("/v1/log/openings", new { logIndexes = Enumerable.Range(0, 101).ToArray() });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (indexes.StatusCode, openings.StatusCode));
        Assert.Contains("1 to 100", await openings.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Random_and_mutated_request_bodies_get_answers_or_4xx_problems_never_a_5xx()
    {
        const int seed = 20_261_207;
        var service = Start(new Dictionary<string, string?> { ["Lookup:LookupsPerRequester"] = "1000000" });
        var (beta, _) = await service.EnrolAsync("beta.test", trusted: true);
        var credential = await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _user.SubjectPublicKeyInfo, attested: true);
        var http = await IndexedLog.BearerAsync(service, beta);
        byte[][] valid =
        [
            Encoding.UTF8.GetBytes($$"""{"identifiers":["{{Bob}}","mailto:bob@example.org","im:bob@example.org"]}"""),
            Encoding.UTF8.GetBytes($$"""{"logIndexes":[{{credential.LogIndex}},0,5,1000]}"""),
        ];
        var mutator = new JoseMutator(seed);
        for (var i = 0; i < 600; i++)
        {
            var bytes = mutator.Json(valid[i % 2]);
            var path = i % 2 == 0 ? "/v1/log/indexes" : "/v1/log/openings";
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            var response = await http.PostAsync(path, content);
            var status = (int)response.StatusCode;
            Assert.True(status == 200 || (status is >= 400 and < 500 && response.Content.Headers.ContentType?.MediaType == "application/problem+json"),
                $"iteration {i} (seed {seed}): {status} for {Convert.ToHexString(bytes)}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private ServiceFactory Start(IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var service = new ServiceFactory(settings: settings ?? _gateway.Settings(), time: time);
        _services.Add(service);
        return service;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body)
    {
        var response = await http.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The reason the openings endpoint refuses the entry to <paramref name="client"/>, or "" when it opens it (the index endpoint agrees).</summary>
    private static async Task<string> RefusedAsync(ServiceFactory service, MimiDiscoveryClient client, string sii, long logIndex)
    {
        var http = await IndexedLog.BearerAsync(service, client);
        var answer = await PostAsync(http, "/v1/log/openings", new { logIndexes = new[] { logIndex } });
        var refused = answer.GetProperty("refused").EnumerateArray().Select(r => r.GetProperty("reason").GetString()!).SingleOrDefault() ?? "";
        var indexes = await PostAsync(http, "/v1/log/indexes", new { identifiers = new[] { sii } });
        Assert.Equal(refused == "", indexes.GetProperty("indexes").GetArrayLength() > 0);
        return refused;
    }
}
