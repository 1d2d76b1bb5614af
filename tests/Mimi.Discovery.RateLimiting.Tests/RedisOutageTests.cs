using StackExchange.Redis;

namespace Mimi.Discovery.RateLimiting.Tests;

/// <summary>
/// Redis crashing, stalling and coming back under a live limiter. Each test has a server of its own to kill. The
/// connections are given a one-minute command timeout, so only the limiter's own timeout can keep a decision short.
/// </summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private static readonly RateLimitPolicy Policy = new(100, TimeSpan.FromHours(1));
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly ListLogger<RedisRateLimiter> _log = new();
    private RedisServer? _server;
    private ConnectionMultiplexer? _redis;

    private RedisServer Server => _server!;

    public async Task InitializeAsync() => _server = await RedisServer.StartLocalAsync();

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    [Fact]
    public async Task Fail_closed_denies_as_backend_unavailable_while_redis_is_down_and_recovers_when_it_returns()
    {
        using var limiter = await CreateLimiterAsync(RedisFailureMode.FailClosed);
        Assert.True((await DecideAsync(limiter)).IsAllowed);

        await Server.StopAsync();
        var down = await EventuallyAsync(limiter, d => d.Reason == RateLimitReason.BackendUnavailable);

        Assert.False(down.IsAllowed);
        Assert.Equal(TimeSpan.FromSeconds(3), down.RetryAfter);
        for (var i = 0; i < 20; i++)
        {
            var decision = await DecideAsync(limiter);
            Assert.Equal((false, RateLimitReason.BackendUnavailable), (decision.IsAllowed, decision.Reason));
        }

        Assert.Equal(RateLimitReason.BackendUnavailable, limiter.Acquire("lookup:alpha.test", Policy).Reason);

        await Server.StartAsync();
        var back = await EventuallyAsync(limiter, d => d.Reason != RateLimitReason.BackendUnavailable);

        Assert.True(back.IsAllowed);
        Assert.Equal(RateLimitReason.WithinLimit, back.Reason);
    }

    [Fact]
    public async Task An_outage_is_logged_once_when_it_starts_and_once_when_it_ends()
    {
        using var limiter = await CreateLimiterAsync(RedisFailureMode.FailClosed);
        Assert.True((await DecideAsync(limiter)).IsAllowed);

        await Server.StopAsync();
        await EventuallyAsync(limiter, d => d.Reason == RateLimitReason.BackendUnavailable);
        for (var i = 0; i < 50; i++)
        {
            await DecideAsync(limiter);
        }

        await Server.StartAsync();
        await EventuallyAsync(limiter, d => d.IsAllowed);
        for (var i = 0; i < 50; i++)
        {
            await DecideAsync(limiter);
        }

        var entries = _log.Entries;
        var outage = Assert.Single(entries, e => e.Event.Id == 1601);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, outage.Level);
        Assert.Contains("denying requests", outage.Message, StringComparison.Ordinal);
        Assert.Single(entries, e => e.Event.Id == 1602);
        Assert.Equal(2, entries.Count);
    }

    [Fact]
    public async Task Regression_timeouts_are_logged_once_per_episode_with_their_count_not_per_request()
    {
        var quiet = TimeSpan.FromSeconds(2);
        using var limiter = await CreateLimiterAsync(RedisFailureMode.FailClosed, episodeQuietPeriod: quiet);
        Assert.True((await EventuallyAsync(limiter, d => d.IsAllowed)).IsAllowed);

        // Three stalls in quick succession (Redis healthy in between): one episode of timeouts.
        var failed = 0;
        for (var stall = 0; stall < 3; stall++)
        {
            await Server.PauseAsync();
            try
            {
                for (var i = 0; i < 3; i++)
                {
                    failed += (await DecideAsync(limiter)).Reason == RateLimitReason.BackendUnavailable ? 1 : 0;
                }
            }
            finally
            {
                await Server.ResumeAsync();
            }

            RateLimitDecision decision;
            do
            {
                decision = await DecideAsync(limiter);
                failed += decision.Reason == RateLimitReason.BackendUnavailable ? 1 : 0;
            }
            while (!decision.IsAllowed);
        }

        Assert.DoesNotContain(_log.Entries, e => e.Event.Id == 1602); // answers within the quiet period do not end it
        await Task.Delay(quiet + TimeSpan.FromMilliseconds(500));
        Assert.True((await DecideAsync(limiter)).IsAllowed);

        var start = Assert.Single(_log.Entries, e => e.Event.Id == 1601);
        var end = Assert.Single(_log.Entries, e => e.Event.Id == 1602);
        Assert.Contains("no answer within 300 ms", start.Message, StringComparison.Ordinal);
        Assert.True(failed >= 9, $"{failed} decisions failed");
        Assert.Contains($": {failed} decisions failed meanwhile, ", end.Message, StringComparison.Ordinal);
        Assert.Equal(2, _log.Entries.Count);
    }

    [Fact]
    public async Task Fail_open_allows_uncounted_while_redis_is_down()
    {
        using var limiter = await CreateLimiterAsync(RedisFailureMode.FailOpen);
        var tight = new RateLimitPolicy(1, TimeSpan.FromHours(1));
        Assert.True((await limiter.AcquireAsync("lookup:alpha.test", tight)).IsAllowed);

        await Server.StopAsync();
        var down = await EventuallyAsync(limiter, d => d.Reason == RateLimitReason.BackendUnavailable);

        Assert.True(down.IsAllowed);
        Assert.Equal(TimeSpan.Zero, down.RetryAfter);
        var decision = await limiter.AcquireAsync("lookup:alpha.test", tight).AsTask().WaitAsync(Bound);
        Assert.Equal((true, RateLimitReason.BackendUnavailable), (decision.IsAllowed, decision.Reason));
        Assert.Contains("allowing requests uncounted", Assert.Single(_log.Entries).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stalled_redis_is_unavailable_within_the_limiter_timeout_and_recovers_when_it_resumes()
    {
        using var limiter = await CreateLimiterAsync(RedisFailureMode.FailClosed);
        // The first call loads the script; on a loaded machine it can outlast the short timeout, so wait until a call answers.
        Assert.True((await EventuallyAsync(limiter, d => d.IsAllowed)).IsAllowed);

        await Server.PauseAsync();
        try
        {
            // The connection stays open and nothing answers: only the limiter's timeout ends the wait.
            var stalled = await DecideAsync(limiter);
            Assert.Equal((false, RateLimitReason.BackendUnavailable), (stalled.IsAllowed, stalled.Reason));
        }
        finally
        {
            await Server.ResumeAsync();
        }

        Assert.True((await EventuallyAsync(limiter, d => d.IsAllowed)).IsAllowed);
    }

    [Fact]
    public async Task A_limiter_created_while_redis_is_down_fails_closed_then_works_when_redis_comes_up()
    {
        await Server.StopAsync();
        using var limiter = await CreateLimiterAsync(RedisFailureMode.FailClosed, serverIsDown: true);

        var down = await DecideAsync(limiter);
        Assert.Equal((false, RateLimitReason.BackendUnavailable), (down.IsAllowed, down.Reason));

        await Server.StartAsync();
        var up = await EventuallyAsync(limiter, d => d.IsAllowed);
        Assert.Equal(RateLimitReason.WithinLimit, up.Reason);
        Assert.Equal(99, up.Remaining);
    }

    private async Task<RedisRateLimiter> CreateLimiterAsync(RedisFailureMode mode, bool serverIsDown = false, TimeSpan episodeQuietPeriod = default)
    {
        _redis = await Server.ConnectAsync(
            options =>
            {
                options.AsyncTimeout = 60_000;
                options.SyncTimeout = 60_000;
            },
            serverIsDown);
        var options = new RedisRateLimiterOptions
        {
            KeyPrefix = $"test:{nameof(RedisOutageTests)}:",
            Timeout = TimeSpan.FromMilliseconds(300),
            FailureMode = mode,
            UnavailableRetryAfter = TimeSpan.FromSeconds(3),
            EpisodeQuietPeriod = episodeQuietPeriod,
        };
        return new RedisRateLimiter(_redis, options, _log);
    }

    /// <summary>One decision, which must come back well before the connection's own one-minute timeout.</summary>
    private static Task<RateLimitDecision> DecideAsync(RedisRateLimiter limiter) =>
        limiter.AcquireAsync("lookup:alpha.test", Policy).AsTask().WaitAsync(Bound);

    /// <summary>Decides until <paramref name="until"/> holds: the client notices a crash or a return within seconds.</summary>
    private static async Task<RateLimitDecision> EventuallyAsync(RedisRateLimiter limiter, Func<RateLimitDecision, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var decision = await DecideAsync(limiter);
            if (until(decision) || DateTime.UtcNow > deadline)
            {
                return decision;
            }

            await Task.Delay(100);
        }
    }
}
