namespace Mimi.Discovery.Resolution;

/// <summary>
/// What the DNS said about a provider domain, before the RFC 2782 order is drawn: the form cached between calls,
/// since every call draws the order afresh.
/// </summary>
internal sealed record ResolvedDomain(
    ResolutionStatus Status,
    ResolutionSource Source,
    IReadOnlyList<ResolutionCandidate> Candidates,
    IReadOnlyList<UnusableTarget> Unusable,
    TimeSpan Ttl,
    string? Error,
    IReadOnlyList<string> Trail,
    bool Cacheable)
{
    public static ResolvedDomain Failed(ResolutionStatus status, string error, IReadOnlyList<string> trail) =>
        new(status, ResolutionSource.None, [], [], TimeSpan.Zero, error, trail, Cacheable: false);
}
