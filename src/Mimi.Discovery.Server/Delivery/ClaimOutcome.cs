using Mimi.Discovery.Protocol;
using Mimi.Discovery.RateLimiting;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>A claim's outcome: the response to send, or the rate-limit decision that refused it.</summary>
internal sealed record ClaimOutcome(KeyMaterialResponse? Response, RateLimitDecision Decision);
