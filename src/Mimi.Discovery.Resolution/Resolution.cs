namespace Mimi.Discovery.Resolution;

/// <summary>
/// The outcome of resolving a provider domain: candidates in RFC 2782 order, where they came from,
/// how long the answer holds and an explanation trail fit for printing.
/// </summary>
/// <param name="Domain">The provider domain, normalized (lower case, no trailing dot).</param>
/// <param name="Status">How the resolution ended.</param>
/// <param name="Source">SRV records or the fallback to the domain itself.</param>
/// <param name="Candidates">Usable candidates, in the order to try them (priority, then weighted random).</param>
/// <param name="Unusable">Targets left out, with the reason.</param>
/// <param name="TimeToLive">How long the DNS data behind this answer is valid (zero when it was not cached).</param>
/// <param name="ExpiresAt">When the cached answer expires, or <see langword="null"/> when it is not cached.</param>
/// <param name="FromCache">Whether the DNS data came from the cache.</param>
/// <param name="Error">What went wrong, when <see cref="Status"/> is not <see cref="ResolutionStatus.Resolved"/>.</param>
/// <param name="Explanation">Step-by-step account of what was asked, what came back and what was chosen.</param>
public sealed record Resolution(
    string Domain,
    ResolutionStatus Status,
    ResolutionSource Source,
    IReadOnlyList<ResolutionCandidate> Candidates,
    IReadOnlyList<UnusableTarget> Unusable,
    TimeSpan TimeToLive,
    DateTimeOffset? ExpiresAt,
    bool FromCache,
    string? Error,
    IReadOnlyList<string> Explanation)
{
    /// <summary>Whether at least one candidate can be contacted.</summary>
    public bool Succeeded => Status == ResolutionStatus.Resolved;
}
