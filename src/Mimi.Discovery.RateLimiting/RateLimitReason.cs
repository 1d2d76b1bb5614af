namespace Mimi.Discovery.RateLimiting;

/// <summary>Why a decision came out as it did.</summary>
public enum RateLimitReason
{
    /// <summary>Every partition had the permits; they were consumed.</summary>
    WithinLimit,

    /// <summary>A partition lacked the permits; nothing was consumed. Answer 429 with <c>Retry-After</c>.</summary>
    LimitExceeded,

    /// <summary>
    /// The counter store could not be reached in time. Denied when failing closed (answer 503), allowed when failing
    /// open; either way nothing was counted and <see cref="RateLimitDecision.Remaining"/> is unknown (zero).
    /// </summary>
    BackendUnavailable,
}
