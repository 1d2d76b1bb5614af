using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Lookup;

public sealed class LookupTests : IDisposable
{
    private const string Bob = "tel:+15550001111";
    private readonly ServiceFactory _service = new(settings: new Dictionary<string, string?>
    {
        ["Lookup:LookupsPerRequester"] = "1000",
        ["Lookup:Window"] = "01:00:00",
    });

    private readonly ClientCredentials _userKey = ClientCredentials.GenerateEs256("u");

    public void Dispose()
    {
        _service.Dispose();
        _userKey.Dispose();
    }

    [Fact]
    public async Task A_number_on_two_providers_returns_both_mappings_with_assertions_and_keymaterial_urls()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (gamma, _) = await _service.EnrolAsync("gamma.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        await beta.SetKeyMaterialUrlAsync("https://mimi.beta.test/v1/keyMaterial/{targetUser}");
        await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, ["mobile"], attested: true);
        await gamma.IssueCredentialAsync(Bob, "mimi://gamma.test/u/robert", _userKey.SubjectPublicKeyInfo, attested: true);

        var answer = (await alpha.LookupAsync(["tel:+1-555-000-1111", "tel:+15550009999"])).Results;

        Assert.Equal("found", answer[0].Status);
        Assert.Equal(["beta.test", "gamma.test"], answer[0].Mappings.Select(m => m.Provider).Order());
        var bob = answer[0].Mappings.Single(m => m.Provider == "beta.test");
        Assert.Equal("https://mimi.beta.test/v1/keyMaterial/mimi%3A%2F%2Fbeta.test%2Fu%2Fbob", bob.KeyMaterial);
        Assert.Equal(["mobile"], bob.Tags);
        Assert.Equal(3, bob.Assertion.Split('.').Length);
        Assert.Equal("none", answer[1].Status);
        Assert.Empty(answer[1].Mappings);
    }

    [Theory]
    [InlineData("everyone", null, true, true)]
    [InlineData("same-provider", null, false, true)]
    [InlineData("providers", "alpha.test", true, true)]
    [InlineData("nobody", null, false, false)]
    public async Task Discoverability_decides_who_sees_a_mapping(string mode, string? listed, bool alphaSees, bool betaSees)
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var (delta, _) = await _service.EnrolAsync("delta.test");
        var credential = await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);

        await beta.SetDiscoverabilityAsync(credential.Serial, mode, listed is null ? null : [listed]);

        Assert.Equal(alphaSees ? "found" : "none", (await alpha.LookupAsync([Bob])).Results[0].Status);
        Assert.Equal(betaSees ? "found" : "none", (await beta.LookupAsync([Bob])).Results[0].Status);
        Assert.Equal(mode == "everyone" ? "found" : "none", (await delta.LookupAsync([Bob])).Results[0].Status);
    }

    [Fact]
    public async Task Unknown_removed_and_hidden_identifiers_answer_identically()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var hidden = await beta.IssueCredentialAsync("tel:+15550002001", "mimi://beta.test/u/h", _userKey.SubjectPublicKeyInfo, attested: true);
        var removed = await beta.IssueCredentialAsync("tel:+15550002002", "mimi://beta.test/u/r", _userKey.SubjectPublicKeyInfo, attested: true);
        await beta.SetDiscoverabilityAsync(hidden.Serial, "nobody");
        await beta.RemoveMappingAsync(removed.Serial);

        var http = await AuthorizedAsync(alpha);
        var bodies = new List<string>();
        foreach (var sii in new[] { "tel:+15550002001", "tel:+15550002002", "tel:+15550002003" })
        {
            var body = await (await http.PostAsJsonAsync("/v1/lookup", new { identifiers = new[] { sii } })).Content.ReadAsStringAsync();
            bodies.Add(body.Replace(sii, "SII", StringComparison.Ordinal));
        }

        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task Unknown_and_hidden_take_the_same_time()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        for (var i = 0; i < 50; i++)
        {
            var c = await beta.IssueCredentialAsync($"tel:+1555003{i:D4}", $"mimi://beta.test/u/h{i}", _userKey.SubjectPublicKeyInfo, attested: true);
            await beta.SetDiscoverabilityAsync(c.Serial, "nobody");
        }

        var http = await AuthorizedAsync(alpha);
        async Task<double> TimeAsync(string identifier)
        {
            var started = Stopwatch.GetTimestamp();
            (await http.PostAsJsonAsync("/v1/lookup", new { identifiers = new[] { identifier } })).EnsureSuccessStatusCode();
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        for (var i = 0; i < 50; i++)
        {
            await TimeAsync($"tel:+1555008{i:D4}");
        }

        // Hidden and unknown lookups alternate, so a burst of load from elsewhere on the machine (another test
        // class, CI's neighbours) lands on both sides alike; the ratio of each adjacent pair is what is compared,
        // and its median ignores the pairs a pause happened to split.
        var ratios = new List<double>();
        for (var i = 0; i < 150; i++)
        {
            var hiddenFirst = i % 2 == 0;
            var first = await TimeAsync(hiddenFirst ? $"tel:+1555003{i % 50:D4}" : $"tel:+1555001{i:D4}");
            var second = await TimeAsync(hiddenFirst ? $"tel:+1555001{i:D4}" : $"tel:+1555003{i % 50:D4}");
            ratios.Add(hiddenFirst ? first / second : second / first);
        }

        ratios.Sort();
        var hiddenOverUnknown = ratios[ratios.Count / 2];

        // Generous margin: the paths are the same; only gross differences (an extra query, an early return) fail.
        Assert.InRange(hiddenOverUnknown, 0.5, 2.0);
    }

    [Fact]
    public async Task Removal_is_effective_for_the_next_lookup_and_only_the_owner_or_operator_may_remove()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var credential = await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);
        Assert.Equal("found", (await alpha.LookupAsync([Bob])).Results[0].Status);

        var foreign = await Assert.ThrowsAsync<MimiApiException>(() => alpha.RemoveMappingAsync(credential.Serial));
        await _service.Operator().RemoveMappingAsync(credential.Serial);

        Assert.Equal(404, foreign.Status);
        Assert.Equal("none", (await alpha.LookupAsync([Bob])).Results[0].Status);
    }

    [Fact]
    public async Task A_new_holder_at_a_provider_replaces_the_older_mapping_there()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/old-holder", _userKey.SubjectPublicKeyInfo, attested: true);
        await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/new-holder", _userKey.SubjectPublicKeyInfo, attested: true);

        var mappings = (await alpha.LookupAsync([Bob])).Results[0].Mappings;

        Assert.Equal("mimi://beta.test/u/new-holder", Assert.Single(mappings).Ssi);
    }

    [Fact]
    public async Task A_suspended_owner_leaves_a_mapping_with_no_providers()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);

        await _service.Operator().SuspendProviderAsync("beta.test");
        var result = (await alpha.LookupAsync([Bob])).Results[0];

        Assert.Equal("no-providers", result.Status);
        Assert.Empty(result.Mappings);
    }

    [Fact]
    public async Task An_enumerating_requester_gets_no_more_than_its_quota_and_every_request_past_it_is_refused()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (mallory, _) = await _service.EnrolAsync("mallory.test");
        await beta.IssueCredentialAsync("tel:+15550000500", "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);
        var http = await AuthorizedAsync(mallory);

        var answered = 0;
        var refused = 0;
        var sawRefusal = false;
        for (var start = 0; start < 100_000; start += 100)
        {
            var batch = Enumerable.Range(start, 100).Select(n => $"tel:+1555{n:D7}").ToArray();
            var response = await http.PostAsJsonAsync("/v1/lookup", new { identifiers = batch });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                sawRefusal = true;
                refused++;
                Assert.NotNull(response.Headers.RetryAfter);
                continue;
            }

            Assert.False(sawRefusal, "after the first refusal every further request must be refused");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(response.Headers, h => h.Key == "RateLimit-Policy");
            answered += batch.Length;
        }

        Assert.Equal(1000, answered);
        Assert.Equal(990, refused);
    }

    [Fact]
    public async Task A_resync_of_known_identifiers_costs_nothing()
    {
        var (mallory, _) = await _service.EnrolAsync("alpha.test");
        var books = Enumerable.Range(0, 10).Select(b => Enumerable.Range(0, 100).Select(n => $"tel:+1555{b:D3}{n:D4}").ToArray()).ToList();
        foreach (var book in books)
        {
            await mallory.LookupAsync(book); // 10 × 100 new identifiers: the quota of 1000 is spent
        }

        for (var sync = 0; sync < 20; sync++)
        {
            await mallory.LookupAsync(books[sync % 10]); // re-syncs of known identifiers still answer
        }

        var fresh = await Assert.ThrowsAsync<MimiApiException>(() => mallory.LookupAsync(["tel:+15559999999"]));
        Assert.Equal(429, fresh.Status);
    }

    [Fact]
    public async Task An_owners_total_quota_holds_against_several_requesters()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        for (var i = 0; i < 10; i++)
        {
            await beta.IssueCredentialAsync($"tel:+1555200{i:D4}", $"mimi://beta.test/u/u{i}", _userKey.SubjectPublicKeyInfo, attested: true);
        }

        await beta.SetQuotasAsync(new OwnerQuotas(null, 5, null, null, 3600));
        var requesters = new List<MimiDiscoveryClient>();
        for (var r = 0; r < 3; r++)
        {
            requesters.Add((await _service.EnrolAsync($"r{r}.test")).Client);
        }

        var hits = 0;
        for (var i = 0; i < 10; i++)
        {
            try
            {
                var result = await requesters[i % 3].LookupAsync([$"tel:+1555200{i:D4}"]);
                hits += result.Results.Count(x => x.Status == "found");
            }
            catch (MimiApiException e) when (e.Status == 429)
            {
            }
        }

        Assert.Equal(5, hits);
    }

    [Fact]
    public async Task Bad_batches_are_400s_naming_the_identifier()
    {
        var (alpha, _) = await _service.EnrolAsync("alpha.test");

        var bad = await Assert.ThrowsAsync<MimiApiException>(() => alpha.LookupAsync([Bob, "tel:12"]));
        var big = await Assert.ThrowsAsync<MimiApiException>(() => alpha.LookupAsync(Enumerable.Range(0, 101).Select(n => $"tel:+1555000{n:D4}")));

        Assert.Equal("identifiers[1]", bad.Problem!.Extensions!["field"].GetString());
        Assert.Equal("identifiers", big.Problem!.Extensions!["field"].GetString());
    }

    [Fact]
    public async Task Regression_a_lookup_that_only_resyncs_carries_the_RateLimit_fields()
    {
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var http = await AuthorizedAsync(alpha);
        var book = new { identifiers = new[] { "tel:+15550007001", "tel:+15550007002" } };

        var first = await http.PostAsJsonAsync("/v1/lookup", book);
        var resync = await http.PostAsJsonAsync("/v1/lookup", book);

        first.EnsureSuccessStatusCode();
        resync.EnsureSuccessStatusCode();
        Assert.Equal("\"lookup\";q=1000;w=3600", Assert.Single(resync.Headers.GetValues("RateLimit-Policy")));
        // Nothing new: the re-sync is free and reports the quota as the first lookup left it.
        Assert.StartsWith("\"lookup\";r=998;t=", Assert.Single(first.Headers.GetValues("RateLimit")), StringComparison.Ordinal);
        Assert.Matches("^\"lookup\";r=998;t=[0-9]+$", Assert.Single(resync.Headers.GetValues("RateLimit")));
    }

    private async Task<HttpClient> AuthorizedAsync(MimiDiscoveryClient client)
    {
        var http = _service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.GetAccessTokenAsync());
        return http;
    }
}
