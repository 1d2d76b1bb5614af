namespace Mimi.Discovery.Resolution;

/// <summary>One SRV target (or the fallback) once its addresses are known: usable, or unusable with the reason.</summary>
internal sealed record CandidateOutcome(ResolutionCandidate? Usable, UnusableTarget? Unusable, TimeSpan Ttl, bool TimedOut, IReadOnlyList<string> Trail);
