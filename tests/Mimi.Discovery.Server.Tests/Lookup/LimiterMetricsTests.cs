using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Lookup;

/// <summary>With the counters in a real Redis that stops: lookups count as limiter-unavailable, and Redis errors are counted.</summary>
public sealed class LimiterMetricsTests
{
    [Fact]
    public async Task Lookups_while_redis_is_down_count_as_limiter_unavailable_with_the_redis_errors_behind_them()
    {
        var redis = await RedisServer.StartLocalAsync();
        try
        {
            using var service = new ServiceFactory(settings: new Dictionary<string, string?> { ["Redis:Configuration"] = redis.EndPoint });
            using var recorder = new InstrumentRecorder(service.Services, includeStatic: true);
            var (alpha, _) = await service.EnrolAsync("alpha.test");
            await alpha.LookupAsync(["tel:+15550005001"]);

            await redis.StopAsync();
            var down = await Assert.ThrowsAsync<MimiApiException>(() => alpha.LookupAsync(["tel:+15550005002"]));

            Assert.Equal(503, down.Status);
            Assert.Equal(1, recorder.Sum("mimi.lookup.requests", ("mimi.lookup.outcome", "none"), ("mimi.requester", "alpha.test")));
            Assert.Equal(1, recorder.Sum("mimi.lookup.requests", ("mimi.lookup.outcome", "limiter-unavailable"), ("mimi.requester", "alpha.test")));
            // The libraries' meters are process-wide: at least this service's failed decision is there.
            Assert.True(recorder.Sum("mimi.ratelimit.unavailable") >= 1);
            Assert.True(recorder.Sum("mimi.redis.errors", ("mimi.redis.operation", "rate-limit")) >= 1);
            TagValues.AssertBounded(recorder.Measurements, ["alpha.test"]);
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }
}
