namespace Mimi.Discovery.Server.Authority.ProofOfControl;

internal readonly record struct ChallengeResult(ChallengeOutcome Outcome, string? ChallengeId, DateTimeOffset ExpiresAt, TimeSpan RetryAfter, string Detail);
