using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Lookup;

/// <summary>Scaled out: two replicas on one PostgreSQL and one Redis share every quota; Redis down fails closed.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedLimitTests(PostgresServer postgres)
{
    [Fact]
    public async Task Two_replicas_against_one_redis_hold_one_shared_quota()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
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
    public async Task Redis_down_refuses_lookups_with_503_and_they_recover_when_it_returns()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
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
            ["Redis:Configuration"] = redis.Configuration,
            ["Lookup:LookupsPerRequester"] = "100",
        };
        var first = new ServiceFactory(database, settings);
        first.CreateClient();
        var second = new ServiceFactory(database, new Dictionary<string, string?>(settings) { ["Authority:KeyDirectory"] = first.KeyDirectory });
        second.CreateClient();
        return (first, second);
    }
}
