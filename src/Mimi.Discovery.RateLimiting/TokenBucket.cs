namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// The arithmetic both backends share (the Redis script mirrors it line for line). A bucket's state is the number of
/// permits in use, fractional because it drains continuously at <c>PermitLimit / Window</c>; keeping permits rather
/// than a theoretical arrival time (GCRA's form) means a quota changed at run time keeps what was already consumed.
/// </summary>
internal static class TokenBucket
{
    /// <summary>Permits still in use <paramref name="elapsedSeconds"/> after the bucket was last charged.</summary>
    public static double Drain(double used, double elapsedSeconds, RateLimitPolicy policy)
    {
        if (elapsedSeconds <= 0 || policy.PermitLimit == 0)
        {
            return used;
        }

        return Math.Max(0, used - (elapsedSeconds * policy.PermitLimit / policy.Window.TotalSeconds));
    }

    /// <summary>Whether <paramref name="permits"/> fit; zero permits asks whether one would.</summary>
    public static bool Fits(double used, int permits, RateLimitPolicy policy) =>
        used + Math.Max(permits, 1) <= policy.PermitLimit;

    public static int Remaining(double used, RateLimitPolicy policy) =>
        Math.Max(0, (int)Math.Floor(policy.PermitLimit - used));

    /// <summary>Time until <paramref name="used"/> permits have drained away.</summary>
    public static TimeSpan TimeToDrain(double used, RateLimitPolicy policy) =>
        policy.PermitLimit == 0 ? policy.Window : CeilingTicks(used * policy.Window.Ticks / policy.PermitLimit);

    /// <summary>Time until <paramref name="permits"/> would fit; a request larger than the limit never fits.</summary>
    public static TimeSpan RetryAfter(double used, int permits, RateLimitPolicy policy)
    {
        var needed = Math.Max(permits, 1);
        if (needed > policy.PermitLimit)
        {
            return policy.Window;
        }

        return CeilingTicks((used + needed - policy.PermitLimit) * policy.Window.Ticks / policy.PermitLimit);
    }

    private static TimeSpan CeilingTicks(double ticks) => TimeSpan.FromTicks((long)Math.Ceiling(Math.Max(0, ticks)));
}
