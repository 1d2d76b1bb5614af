namespace Mimi.Discovery.Resolution;

/// <summary>One attempt against one candidate.</summary>
/// <param name="Candidate">The candidate tried.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Detail">Human-readable detail, for example the connection error.</param>
public sealed record FailoverAttempt(ResolutionCandidate Candidate, FailoverAttemptOutcome Outcome, string Detail);
