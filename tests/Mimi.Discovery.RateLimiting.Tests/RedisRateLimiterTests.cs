using Mimi.Discovery.RateLimiting.Tests.Fixtures;
using StackExchange.Redis;

namespace Mimi.Discovery.RateLimiting.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisRateLimiterTests(RedisServer server) : RateLimiterContract, IAsyncLifetime
{
    // Every test gets keys of its own under this class's prefix, so no test sees another's counters.
    private readonly string _prefix = $"test:{nameof(RedisRateLimiterTests)}:{Guid.NewGuid():N}:";
    private ConnectionMultiplexer? _redis;
    private RedisRateLimiter? _limiter;

    protected override KeyedRateLimiter Limiter => _limiter!;

    private IDatabase Database => _redis!.GetDatabase();

    public async Task InitializeAsync()
    {
        _redis = await server.ConnectAsync();
        _limiter = new RedisRateLimiter(_redis, new RedisRateLimiterOptions { KeyPrefix = _prefix, Timeout = TimeSpan.FromSeconds(5) });
    }

    public async Task DisposeAsync()
    {
        _limiter?.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    protected override Task PassAsync(TimeSpan time) => Task.Delay(time);

    [Fact]
    public async Task Two_replicas_with_their_own_connections_share_one_quota_exactly()
    {
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        var options = new RedisRateLimiterOptions { KeyPrefix = _prefix, Timeout = TimeSpan.FromSeconds(5) };
        using var replicaA = new RedisRateLimiter(first, options);
        using var replicaB = new RedisRateLimiter(second, options);
        var policy = new RateLimitPolicy(1000, TimeSpan.FromDays(1));
        var granted = new int[2];

        await Task.WhenAll(Enumerable.Range(0, 50).Select(task => Task.Run(async () =>
        {
            var replica = task % 2 == 0 ? replicaA : replicaB;
            for (var attempt = 0; attempt < 100; attempt++)
            {
                if ((await replica.AcquireAsync("lookup:alpha.test", policy)).IsAllowed)
                {
                    Interlocked.Increment(ref granted[task % 2]);
                }
            }
        })));

        Assert.Equal(1000, granted[0] + granted[1]);
        Assert.False((await replicaA.AcquireAsync("lookup:alpha.test", policy)).IsAllowed);
        Assert.False((await replicaB.AcquireAsync("lookup:alpha.test", policy)).IsAllowed);
    }

    [Fact]
    public async Task Counters_live_under_the_key_prefix_and_expire_when_their_permits_have_drained()
    {
        var policy = new RateLimitPolicy(10, TimeSpan.FromHours(1));
        await Limiter.AcquireAsync("lookup:alpha.test", policy, 3);
        await Limiter.AcquireAsync("lookup:beta.test", policy, 0);

        var key = (RedisKey)(_prefix + "lookup:alpha.test");
        Assert.True(await Database.HashExistsAsync(key, "u"));
        Assert.True(await Database.HashExistsAsync(key, "t"));
        // Three permits of ten drain back in 18 minutes; the counter is dropped then, not before and not never.
        var ttl = await Database.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(17), TimeSpan.FromMinutes(18) + TimeSpan.FromSeconds(1));
        Assert.False(await Database.KeyExistsAsync(_prefix + "lookup:beta.test"));
    }

    [Fact]
    public async Task A_drained_counter_disappears_from_redis()
    {
        var policy = new RateLimitPolicy(1, TimeSpan.FromMilliseconds(300));
        Assert.True((await Limiter.AcquireAsync("oprf:alpha.test", policy)).IsAllowed);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await Database.KeyExistsAsync(_prefix + "oprf:alpha.test") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(await Database.KeyExistsAsync(_prefix + "oprf:alpha.test"));
        Assert.True((await Limiter.AcquireAsync("oprf:alpha.test", policy)).IsAllowed);
    }

    [Fact]
    public async Task Each_decision_is_one_script_call_even_across_several_keys()
    {
        var policy = new RateLimitPolicy(100, TimeSpan.FromHours(1));
        RateLimitRequest[] requests = [new("owner-requester:beta.test:alpha.test", policy), new("owner-total:beta.test", policy), new("lookup:alpha.test", policy)];
        await Limiter.AcquireAsync(requests);
        var before = await ScriptCallsAsync();

        for (var i = 0; i < 20; i++)
        {
            await Limiter.AcquireAsync(requests);
            await Limiter.AcquireAsync("lookup:alpha.test", policy);
        }

        var after = await ScriptCallsAsync();
        Assert.Equal(40, after.EvalSha - before.EvalSha);
        Assert.Equal(0, after.Eval - before.Eval);
    }

    [Fact]
    public async Task Decisions_go_on_after_the_server_forgets_the_script()
    {
        var policy = new RateLimitPolicy(5, TimeSpan.FromHours(1));
        Assert.True((await Limiter.AcquireAsync("lookup:alpha.test", policy, 2)).IsAllowed);

        await _redis!.GetServer(_redis.GetEndPoints()[0]).ScriptFlushAsync();
        var reloaded = await Limiter.AcquireAsync("lookup:alpha.test", policy);
        var before = await ScriptCallsAsync();
        var next = await Limiter.AcquireAsync("lookup:alpha.test", policy);
        var after = await ScriptCallsAsync();

        Assert.True(reloaded.IsAllowed);
        Assert.Equal(2, reloaded.Remaining);
        Assert.Equal(1, next.Remaining);
        // The refused EVALSHA fell back to EVAL, which cached the script again: the next decision is one EVALSHA.
        Assert.Equal(1, after.EvalSha - before.EvalSha);
        Assert.Equal(0, after.Eval - before.Eval);
    }

    [Fact]
    public void Options_out_of_range_name_the_setting()
    {
        Assert.Equal("Timeout", Assert.Throws<ArgumentOutOfRangeException>(() => new RedisRateLimiterOptions { Timeout = TimeSpan.Zero }.Validate()).ParamName);
        Assert.Equal("Database", Assert.Throws<ArgumentOutOfRangeException>(() => new RedisRateLimiterOptions { Database = -2 }.Validate()).ParamName);
        Assert.Equal("FailureMode", Assert.Throws<ArgumentOutOfRangeException>(() => new RedisRateLimiterOptions { FailureMode = (RedisFailureMode)7 }.Validate()).ParamName);
    }

    private async Task<(long EvalSha, long Eval)> ScriptCallsAsync()
    {
        var info = await _redis!.GetServer(_redis.GetEndPoints()[0]).InfoAsync("commandstats");
        var stats = info.SelectMany(group => group).ToDictionary(pair => pair.Key, pair => pair.Value);
        return (Calls("cmdstat_evalsha"), Calls("cmdstat_eval"));

        long Calls(string command) => stats.TryGetValue(command, out var value)
            ? long.Parse(value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }
}
