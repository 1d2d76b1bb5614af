using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// Token buckets in Redis, shared by every replica of the service. Each decision is one round trip: an atomic Lua
/// script (EVALSHA, falling back to EVAL when the server has lost its script cache) that reads the server's clock,
/// checks every partition of the acquisition, and charges them all or none. Buckets expire once their permits have
/// drained back, so Redis never keeps dead counters. <see cref="KeyedRateLimiter.AcquireNewAsync"/> is one round trip
/// too: the same script also checks and fills the set of items seen, a Redis set under the same key prefix.
/// </summary>
/// <remarks>
/// While Redis cannot be reached, or does not answer within <see cref="RedisRateLimiterOptions.Timeout"/>, decisions
/// carry <see cref="RateLimitReason.BackendUnavailable"/> and are denied or allowed according to
/// <see cref="RedisRateLimiterOptions.FailureMode"/>. An episode of such failures (an outage, or timeouts on a busy
/// machine) is logged once when it starts and once when Redis has answered for
/// <see cref="RedisRateLimiterOptions.EpisodeQuietPeriod"/> without a failure, with how many decisions failed and how
/// many of them timed out; the connection multiplexer reconnects by itself, so the limiter needs no restart.
/// <para>
/// Needs Redis 5 or later (a script that reads TIME before writing) on a single primary: an acquisition's keys are
/// touched by one script, which Redis Cluster allows only when they share a hash slot.
/// </para>
/// </remarks>
public sealed partial class RedisRateLimiter : KeyedRateLimiter
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMicrosecond;

    private readonly IConnectionMultiplexer _redis;
    private readonly IDatabaseAsync _database;
    private readonly RedisKey _prefix;
    private readonly TimeSpan _timeout;
    private readonly bool _failOpen;
    private readonly TimeSpan _unavailableRetryAfter;
    private readonly TimeSpan _episodeQuietPeriod;
    private readonly ILogger _logger;

    // The episode of failures in progress: 1 while open; when it started and last failed (Stopwatch timestamps); how
    // many decisions failed in it, and how many of those timed out.
    private int _episode;
    private long _episodeStarted;
    private long _lastFailure;
    private long _failures;
    private long _timeouts;

    /// <summary>Creates a limiter over a connection the host owns (and disposes).</summary>
    /// <param name="redis">The connection; create it with <c>AbortOnConnectFail = false</c> so it keeps reconnecting.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="logger">Where outages are reported.</param>
    public RedisRateLimiter(IConnectionMultiplexer redis, RedisRateLimiterOptions? options = null, ILogger<RedisRateLimiter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        options ??= new RedisRateLimiterOptions();
        options.Validate();
        _redis = redis;
        _database = redis.GetDatabase(options.Database);
        _prefix = Encoding.UTF8.GetBytes(options.KeyPrefix);
        _timeout = options.Timeout;
        _failOpen = options.FailureMode == RedisFailureMode.FailOpen;
        _unavailableRetryAfter = options.UnavailableRetryAfter;
        _episodeQuietPeriod = options.EpisodeQuietPeriod;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc/>
    /// <remarks>Blocks the calling thread for up to <see cref="RedisRateLimiterOptions.Timeout"/>.</remarks>
    protected override RateLimitDecision AcquireCore(RateLimitRequest request) =>
        AcquireCoreAsync(request, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    /// <remarks>Blocks the calling thread for up to <see cref="RedisRateLimiterOptions.Timeout"/>.</remarks>
    protected override RateLimitDecision AcquireCore(ReadOnlySpan<RateLimitRequest> requests) =>
        AcquireCoreAsync(requests.ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    protected override ValueTask<RateLimitDecision> AcquireCoreAsync(RateLimitRequest request, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[1];
        var arguments = new RedisValue[3];
        Fill(request, keys, 0, arguments, 0);
        return EvaluateAsync(RedisScript.Acquire, keys, arguments, request, default, cancellationToken);
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitDecision> AcquireCoreAsync(ReadOnlyMemory<RateLimitRequest> requests, CancellationToken cancellationToken)
    {
        var span = requests.Span;
        var keys = new RedisKey[span.Length];
        var arguments = new RedisValue[3 * span.Length];
        for (var i = 0; i < span.Length; i++)
        {
            Fill(span[i], keys, i, arguments, 3 * i);
        }

        return EvaluateAsync(RedisScript.Acquire, keys, arguments, span[0], requests, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One round trip: the script checks the set, works out what each partition owes, charges and remembers.</remarks>
    protected override ValueTask<RateLimitDecision> AcquireNewCoreAsync(string seen, TimeSpan lifetime, ReadOnlyMemory<RateLimitRequest> partitions,
        ReadOnlyMemory<RateLimitItem> items, CancellationToken cancellationToken)
    {
        var span = partitions.Span;
        var length = 2 + (3 * span.Length);
        foreach (var item in items.Span)
        {
            length += 2 + item.Partitions.Length;
        }

        var keys = new RedisKey[1 + span.Length];
        var arguments = new RedisValue[length];
        keys[0] = ((RedisKey)seen).Prepend(_prefix);
        arguments[0] = (long)Math.Ceiling(lifetime.TotalMilliseconds);
        arguments[1] = items.Length;
        for (var i = 0; i < span.Length; i++)
        {
            Fill(span[i], keys, 1 + i, arguments, 2 + (3 * i));
        }

        var at = 2 + (3 * span.Length);
        foreach (var item in items.Span)
        {
            arguments[at++] = item.Value;
            arguments[at++] = item.Partitions.Length;
            foreach (var index in item.Partitions)
            {
                arguments[at++] = index + 1;
            }
        }

        return EvaluateAsync(RedisScript.AcquireNew, keys, arguments, span[0], partitions, cancellationToken);
    }

    private void Fill(in RateLimitRequest request, RedisKey[] keys, int key, RedisValue[] arguments, int argument)
    {
        keys[key] = ((RedisKey)request.Key).Prepend(_prefix);
        arguments[argument] = request.Policy.PermitLimit;
        arguments[argument + 1] = Math.Max(1, request.Policy.Window.Ticks / TicksPerMicrosecond);
        arguments[argument + 2] = request.Permits;
    }

    // first: the first request, which is the whole of a single-key acquisition; all: every request of a multi-key
    // acquisition, empty for one key (so a single key needs no array of requests).
    private async ValueTask<RateLimitDecision> EvaluateAsync(RedisScript script,
        RedisKey[] keys, RedisValue[] arguments, RateLimitRequest first, ReadOnlyMemory<RateLimitRequest> all, CancellationToken cancellationToken)
    {
        // A disconnected multiplexer would queue the command until its own (long) timeout; answer at once instead.
        if (!_redis.IsConnected)
        {
            return Unavailable(first.Policy, "not connected", error: null);
        }

        // ConfigureAwait(false) throughout: the synchronous path blocks on this, whatever context the caller runs in.
        Task<RedisResult>? pending = null;
        RedisResult reply;
        try
        {
            try
            {
                // StackExchange.Redis sends a 40-hex-digit "script" as EVALSHA: the script text never travels.
                pending = _database.ScriptEvaluateAsync(script.Sha1, keys, arguments);
                reply = await Bounded(pending, cancellationToken).ConfigureAwait(false);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                // The server restarted or its script cache was flushed: EVAL runs the script and caches it again.
                pending = _database.ScriptEvaluateAsync(script.Text, keys, arguments);
                reply = await Bounded(pending, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
            // Our own bound (or the client's): Redis may be healthy and the machine busy; no stack trace to log.
            Observe(pending);
            return Unavailable(first.Policy, null, error: null);
        }
        catch (RedisException e)
        {
            Observe(pending);
            return Unavailable(first.Policy, e.Message, e);
        }
        catch (OperationCanceledException)
        {
            Observe(pending);
            throw;
        }

        if (Volatile.Read(ref _episode) == 1 && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastFailure)) >= _episodeQuietPeriod
            && Interlocked.CompareExchange(ref _episode, 0, 1) == 1)
        {
            LogBackendRecovered(_logger, Stopwatch.GetElapsedTime(Interlocked.Read(ref _episodeStarted)),
                Interlocked.Exchange(ref _failures, 0), Interlocked.Exchange(ref _timeouts, 0), _timeout);
        }

        var allowed = (long)reply[0] == 1;
        var index = (int)(long)reply[1] - 1;
        var policy = all.IsEmpty ? first.Policy : all.Span[index].Policy;
        return new RateLimitDecision(
            allowed,
            allowed ? RateLimitReason.WithinLimit : RateLimitReason.LimitExceeded,
            policy,
            index,
            (int)(long)reply[2],
            TimeSpan.FromTicks((long)reply[3] * TicksPerMicrosecond),
            TimeSpan.FromTicks((long)reply[4] * TicksPerMicrosecond));
    }

    private Task<RedisResult> Bounded(Task<RedisResult> pending, CancellationToken cancellationToken) =>
        pending.IsCompleted ? pending : pending.WaitAsync(_timeout, cancellationToken);

    // A command given up on may still fail later; observe it so it never surfaces as an unobserved task exception.
    private static void Observe(Task<RedisResult>? pending)
    {
        if (pending is { IsCompleted: false })
        {
            _ = pending.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>A failed decision; <paramref name="cause"/> null for a timeout.</summary>
    private RateLimitDecision Unavailable(RateLimitPolicy policy, string? cause, Exception? error)
    {
        var now = Stopwatch.GetTimestamp();
        // The failure time first, so a concurrent success does not close the episode under it.
        Interlocked.Exchange(ref _lastFailure, now);
        if (Interlocked.CompareExchange(ref _episode, 1, 0) == 0)
        {
            Interlocked.Exchange(ref _episodeStarted, now);
            LogBackendUnavailable(_logger, cause ?? $"no answer within {_timeout.TotalMilliseconds:0} ms",
                _failOpen ? "allowing requests uncounted" : "denying requests", error);
        }

        RateLimitingMetrics.DecisionUnavailable();
        Interlocked.Increment(ref _failures);
        if (cause is null)
        {
            Interlocked.Increment(ref _timeouts);
        }

        return RateLimitDecision.Unavailable(policy, _failOpen, _unavailableRetryAfter);
    }

    [LoggerMessage(EventId = 1601, Level = LogLevel.Error, Message = "Rate-limit counters in Redis are unavailable ({Cause}); {Action} until Redis answers again")]
    private static partial void LogBackendUnavailable(ILogger logger, string cause, string action, Exception? error);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information,
        Message = "Rate-limit counters in Redis are available again after {Episode}: {Failures} decisions failed meanwhile, {Timeouts} of them with no answer within {Timeout}")]
    private static partial void LogBackendRecovered(ILogger logger, TimeSpan episode, long failures, long timeouts, TimeSpan timeout);
}
