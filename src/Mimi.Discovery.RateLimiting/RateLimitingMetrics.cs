using System.Diagnostics.Metrics;

namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// The instruments of rate limiting and of the Redis it keeps its counters in, on a static meter named
/// <c>Mimi.Discovery.RateLimiting</c>: this library knows no host and no dependency injection, and every limiter of a
/// process reports to the one meter. The host's other users of Redis record their failures here too, so that
/// <c>mimi.redis.errors</c> is one instrument.
/// </summary>
public static class RateLimitingMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Mimi.Discovery.RateLimiting";

    /// <summary>The <c>mimi.redis.operation</c> of a rate-limit decision.</summary>
    public const string RateLimitOperation = "rate-limit";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Unavailable = Meter.CreateCounter<long>("mimi.ratelimit.unavailable", "{decision}",
        "Rate-limit decisions taken while the counters in Redis could not be reached (allowed uncounted or refused, as configured).");

    private static readonly Counter<long> RedisErrors = Meter.CreateCounter<long>("mimi.redis.errors", "{error}",
        "Redis operations that failed or timed out, by operation.");

    /// <summary>Counts a Redis operation that failed or timed out.</summary>
    /// <param name="operation">A fixed name of what was attempted (for example <c>rate-limit</c>, <c>publish</c>).</param>
    public static void RedisError(string operation) => RedisErrors.Add(1, new KeyValuePair<string, object?>("mimi.redis.operation", operation));

    internal static void DecisionUnavailable()
    {
        Unavailable.Add(1);
        RedisError(RateLimitOperation);
    }
}
