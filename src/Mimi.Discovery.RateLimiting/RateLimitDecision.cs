namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// The outcome of one acquisition, with what the IETF <c>RateLimit-Policy</c> and <c>RateLimit</c> header fields and
/// <c>Retry-After</c> need. When several partitions were charged together it describes the one that limits the caller:
/// when allowed, the partition with the fewest permits left; when denied, the refusing partition that frees up last.
/// </summary>
/// <param name="IsAllowed">Whether the caller may proceed.</param>
/// <param name="Reason">Why.</param>
/// <param name="Policy">The policy of the partition described (quota <c>q</c> and window <c>w</c> of the policy header).</param>
/// <param name="KeyIndex">Index of the described partition among the requests (0 for a single key).</param>
/// <param name="Remaining">Whole permits left in the described partition after this decision.</param>
/// <param name="ResetAfter">Time until the described partition is back to its full quota.</param>
/// <param name="RetryAfter">When denied, how long to wait before the same request can succeed; otherwise zero.</param>
public readonly record struct RateLimitDecision(
    bool IsAllowed,
    RateLimitReason Reason,
    RateLimitPolicy Policy,
    int KeyIndex,
    int Remaining,
    TimeSpan ResetAfter,
    TimeSpan RetryAfter)
{
    /// <summary>The permit limit of the described partition.</summary>
    public int Limit => Policy.PermitLimit;

    internal static RateLimitDecision Unavailable(RateLimitPolicy policy, bool failOpen, TimeSpan retryAfter) =>
        new(failOpen, RateLimitReason.BackendUnavailable, policy, 0, 0, TimeSpan.Zero, failOpen ? TimeSpan.Zero : retryAfter);
}
