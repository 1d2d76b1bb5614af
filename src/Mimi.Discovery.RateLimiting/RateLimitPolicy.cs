namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// The limit in force for one partition: at most <see cref="PermitLimit"/> permits per <see cref="Window"/>.
/// </summary>
/// <remarks>
/// Both backends treat the policy as a token bucket of capacity <see cref="PermitLimit"/> that refills continuously at
/// <see cref="PermitLimit"/> permits per <see cref="Window"/>: a full burst is allowed at once, and an exhausted
/// partition regains one permit every <c>Window / PermitLimit</c>. The policy is passed with every acquisition, so a
/// quota changed at run time applies to the very next decision; permits already consumed stay consumed.
/// A limit of zero refuses everything (an owner may block a requester outright).
/// </remarks>
/// <param name="PermitLimit">Permits per window; zero or more.</param>
/// <param name="Window">The window; at least one millisecond.</param>
public readonly record struct RateLimitPolicy(int PermitLimit, TimeSpan Window)
{
    /// <summary>The shortest window a policy may have.</summary>
    public static readonly TimeSpan MinimumWindow = TimeSpan.FromMilliseconds(1);

    internal void Validate(string key)
    {
        if (PermitLimit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PermitLimit), PermitLimit, $"The permit limit for '{key}' must not be negative.");
        }

        if (Window < MinimumWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, $"The window for '{key}' must be at least {MinimumWindow}.");
        }
    }
}
