using Microsoft.Extensions.Time.Testing;

namespace Mimi.Discovery.RateLimiting.Tests;

public sealed class InProcessRateLimiterTests : RateLimiterContract, IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly InProcessRateLimiter _limiter;

    public InProcessRateLimiterTests() =>
        _limiter = new InProcessRateLimiter(new InProcessRateLimiterOptions { SweepInterval = TimeSpan.FromSeconds(10) }, _time);

    protected override KeyedRateLimiter Limiter => _limiter;

    public void Dispose() => _limiter.Dispose();

    protected override Task PassAsync(TimeSpan time)
    {
        _time.Advance(time);
        return Task.CompletedTask;
    }

    [Fact]
    public void Permits_come_back_continuously_at_limit_per_window()
    {
        var policy = new RateLimitPolicy(4, TimeSpan.FromMinutes(4));
        Assert.True(_limiter.Acquire("lookup:alpha.test", policy, 4).IsAllowed);

        _time.Advance(TimeSpan.FromSeconds(90));
        var peek = _limiter.Acquire("lookup:alpha.test", policy, 0);

        // 1.5 permits have drained back: one whole permit is available, the next in 30 s.
        Assert.Equal(1, peek.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(150), peek.ResetAfter);
        Assert.True(_limiter.Acquire("lookup:alpha.test", policy).IsAllowed);
        var refused = _limiter.Acquire("lookup:alpha.test", policy);
        Assert.False(refused.IsAllowed);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter);
    }

    [Fact]
    public void Drained_partitions_are_dropped_from_memory()
    {
        var policy = new RateLimitPolicy(10, TimeSpan.FromMinutes(1));
        for (var i = 0; i < 100; i++)
        {
            _limiter.Acquire($"lookup:p{i}.test", policy);
        }

        Assert.Equal(100, _limiter.PartitionCount);

        // One permit of ten drains back in a tenth of the window; the sweep every 10 s then forgets them.
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, _limiter.PartitionCount);
        Assert.Equal(10, _limiter.Acquire("lookup:p0.test", policy, 0).Remaining);
    }

    [Fact]
    public void Partitions_still_holding_permits_are_kept()
    {
        var policy = new RateLimitPolicy(10, TimeSpan.FromMinutes(1));
        _limiter.Acquire("lookup:busy.test", policy, 10);
        _limiter.Acquire("lookup:idle.test", policy, 0);

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(1, _limiter.PartitionCount);
        Assert.Equal(5, _limiter.Acquire("lookup:busy.test", policy, 0).Remaining);
    }

    [Fact]
    public async Task Sweeps_racing_with_acquisitions_lose_no_permit()
    {
        // A sweep may drop a bucket an acquirer has just looked up; the acquirer must start over, never count into a
        // bucket that is gone.
        var policy = new RateLimitPolicy(100, TimeSpan.FromSeconds(10));
        for (var round = 0; round < 20; round++)
        {
            var grantedPairs = 0;
            var grantedSingles = 0;
            var acquiring = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                for (var i = 0; i < 50; i++)
                {
                    if (_limiter.Acquire([new RateLimitRequest("lookup:race.test", policy), new RateLimitRequest("owner-total:race.test", policy)]).IsAllowed)
                    {
                        Interlocked.Increment(ref grantedPairs);
                    }

                    if (_limiter.Acquire("oprf:race.test", policy).IsAllowed)
                    {
                        Interlocked.Increment(ref grantedSingles);
                    }
                }
            })));
            while (!acquiring.IsCompleted)
            {
                _limiter.Sweep();
            }

            await acquiring;
            Assert.Equal(100, grantedPairs);
            Assert.Equal(100, grantedSingles);
            _time.Advance(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public void Malformed_requests_are_bugs_and_throw()
    {
        var policy = new RateLimitPolicy(1, TimeSpan.FromMinutes(1));

        Assert.Throws<ArgumentException>(() => _limiter.Acquire("", policy));
        Assert.Throws<ArgumentOutOfRangeException>(() => _limiter.Acquire("k", policy, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _limiter.Acquire("k", new RateLimitPolicy(-1, TimeSpan.FromMinutes(1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => _limiter.Acquire("k", new RateLimitPolicy(1, TimeSpan.Zero)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _limiter.Acquire(ReadOnlySpan<RateLimitRequest>.Empty));
        Assert.Throws<ArgumentException>(() => _limiter.Acquire([new RateLimitRequest("k", policy), new RateLimitRequest("k", policy)]));
        var tooMany = Enumerable.Range(0, KeyedRateLimiter.MaxKeysPerAcquisition + 1).Select(i => new RateLimitRequest($"k{i}", policy)).ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => _limiter.Acquire(tooMany));
    }

    [Fact]
    public void Options_out_of_range_name_the_setting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new InProcessRateLimiterOptions { SweepInterval = TimeSpan.Zero }.Validate());

        Assert.Equal(nameof(InProcessRateLimiterOptions.SweepInterval), error.ParamName);
    }
}
