using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Lookup;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Lookup;

/// <summary>Scaled out: two replicas on one PostgreSQL and one Redis share every quota; Redis down fails closed.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedLimitTests(PostgresServer postgres)
{
    [Fact]
    public async Task Two_replicas_against_one_redis_hold_one_shared_quota()
    {
        var redis = await RedisServer.StartLocalAsync();
        try
        {
            var (first, second) = await ReplicasAsync(redis);
            var (_, alpha) = await first.EnrolAsync("alpha.test");
            var onFirst = first.As(alpha);
            var onSecond = second.As(alpha);
            await Loopback.EventuallyAsync(() => onSecond.GetAccessTokenAsync());

            await onFirst.LookupAsync(Enumerable.Range(0, 60).Select(n => $"tel:+1555300{n:D4}"));
            var refused = await Assert.ThrowsAsync<MimiApiException>(() => onSecond.LookupAsync(Enumerable.Range(60, 60).Select(n => $"tel:+1555300{n:D4}")));
            var resync = await onSecond.LookupAsync(Enumerable.Range(0, 60).Select(n => $"tel:+1555300{n:D4}"));

            Assert.Equal(429, refused.Status);
            Assert.Equal(60, resync.Results.Length); // what replica one answered is known to replica two: free
            first.Dispose();
            second.Dispose();
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_replicas_share_an_owners_total_all_or_nothing_and_resyncs_of_hits_stay_free()
    {
        var redis = await RedisServer.StartLocalAsync();
        try
        {
            var (first, second) = await ReplicasAsync(redis);
            var (beta, _) = await first.EnrolAsync("beta.test", trusted: true);
            using var user = ClientCredentials.GenerateEs256("u");
            for (var i = 0; i < 4; i++)
            {
                await beta.IssueCredentialAsync($"tel:+1555400{i:D4}", $"mimi://beta.test/u/u{i}", user.SubjectPublicKeyInfo, attested: true);
            }

            await beta.SetQuotasAsync(new OwnerQuotas(null, 3, null, null, 3600));
            var (alpha, alphaKey) = await first.EnrolAsync("alpha.test");
            var (_, gammaKey) = await first.EnrolAsync("gamma.test");
            // The second replica polls for what the first wrote; catch it up now rather than wait.
            await second.Services.GetRequiredService<ClientDirectory>().RefreshAsync(CancellationToken.None);
            await second.Services.GetRequiredService<MappingIndex>().CatchUpAsync(CancellationToken.None);
            var gamma = second.As(gammaKey);

            var two = await alpha.LookupAsync(["tel:+15554000000", "tel:+15554000001"]); // beta's total: 2 of 3 used
            var overTotal = await Assert.ThrowsAsync<MimiApiException>(() => gamma.LookupAsync(["tel:+15554000002", "tel:+15554000003"]));
            var one = await gamma.LookupAsync(["tel:+15554000002", "tel:+15559999999"]); // a hit and a miss: the total is spent
            var spent = await Assert.ThrowsAsync<MimiApiException>(() => alpha.LookupAsync(["tel:+15554000003"]));
            var resync = await second.As(alphaKey).LookupAsync(["tel:+15554000000", "tel:+15554000001"]);
            var miss = await alpha.LookupAsync(["tel:+15558888888"]); // no hit on beta: its spent total is not consulted

            Assert.All(two.Results.Concat(resync.Results), r => Assert.Equal("found", r.Status));
            Assert.Equal([429, 429], [overTotal.Status, spent.Status]);
            Assert.Equal(["found", "none"], one.Results.Select(r => r.Status));
            Assert.Equal("none", miss.Results[0].Status);
            // All or nothing: the refused pair took nothing from gamma's own quota (100, less the two it was answered).
            var http = second.CreateClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await gamma.GetAccessTokenAsync());
            var quota = await http.PostAsJsonAsync("/v1/lookup", new { identifiers = new[] { "tel:+15557777777" } });
            Assert.StartsWith("\"lookup\";r=97;", quota.Headers.GetValues("RateLimit").Single(), StringComparison.Ordinal);
            first.Dispose();
            second.Dispose();
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task Redis_down_refuses_lookups_with_503_and_they_recover_when_it_returns()
    {
        var redis = await RedisServer.StartLocalAsync();
        try
        {
            var (first, second) = await ReplicasAsync(redis);
            second.Dispose();
            var (client, _) = await first.EnrolAsync("alpha.test");
            await client.LookupAsync(["tel:+15553000001"]);

            await redis.StopAsync();
            var down = await Assert.ThrowsAsync<MimiApiException>(() => client.LookupAsync(["tel:+15553000002"]));
            await redis.StartAsync();
            var back = await Loopback.EventuallyAsync(() => client.LookupAsync(["tel:+15553000003"]));

            Assert.Equal(503, down.Status);
            Assert.Equal("urn:mimi-discovery:problem:rate-limiter-unavailable", down.Problem?.Type);
            Assert.Equal("none", back.Results[0].Status);
            first.Dispose();
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    private async Task<(ServiceFactory First, ServiceFactory Second)> ReplicasAsync(RedisServer redis)
    {
        var database = await postgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redis.EndPoint,
            ["Lookup:LookupsPerRequester"] = "100",
        };
        var first = new ServiceFactory(database, settings);
        first.CreateClient();
        var second = new ServiceFactory(database, new Dictionary<string, string?>(settings) { ["Authority:KeyDirectory"] = first.KeyDirectory });
        second.CreateClient();
        return (first, second);
    }
}
