using Mimi.Discovery.RateLimiting;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>The answers, and the limiter's decision (when it denies, the answers are empty and must not be sent).</summary>
internal sealed record LookupAnswer(LookupResultView[] Results, RateLimitDecision Decision);
