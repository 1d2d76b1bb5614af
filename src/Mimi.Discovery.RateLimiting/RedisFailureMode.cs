namespace Mimi.Discovery.RateLimiting;

/// <summary>What <see cref="RedisRateLimiter"/> decides while Redis cannot be reached.</summary>
public enum RedisFailureMode
{
    /// <summary>Deny with <see cref="RateLimitReason.BackendUnavailable"/> (the HTTP layer answers 503). The default.</summary>
    FailClosed,

    /// <summary>Allow, uncounted, with <see cref="RateLimitReason.BackendUnavailable"/>.</summary>
    FailOpen,
}
