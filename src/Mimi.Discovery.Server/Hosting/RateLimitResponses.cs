using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Mimi.Discovery.RateLimiting;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>How every rate-limited endpoint answers: IETF RateLimit fields always, 429 or 503 when refused.</summary>
internal static class RateLimitResponses
{
    /// <summary>
    /// Writes the RateLimit fields (draft-ietf-httpapi-ratelimit-headers) for <paramref name="name"/>, and returns the
    /// refusal to send when the decision denies: 429 over quota, 503 when the shared store is down; null when allowed.
    /// </summary>
    public static ProblemHttpResult? Answer(HttpContext http, string name, RateLimitDecision decision)
    {
        // Every decision describes a quota, a free re-sync included; only while the counters' store is down is it unknown.
        if (decision.Reason != RateLimitReason.BackendUnavailable)
        {
            // Every quota is a token bucket of q permits refilling continuously over w seconds: q is the burst and the
            // rate, not a ceiling per fixed window (up to 2q fit in one span of w; the README's "Limits" says so).
            var window = (long)decision.Policy.Window.TotalSeconds;
            http.Response.Headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={decision.Limit};w={window}");
            http.Response.Headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture,
                $"\"{name}\";r={decision.Remaining};t={(long)Math.Ceiling(decision.ResetAfter.TotalSeconds)}");
        }

        if (decision.IsAllowed)
        {
            return null;
        }

        return decision.Reason == RateLimitReason.BackendUnavailable
            ? Problems.RateLimiterUnavailable(http, decision.RetryAfter)
            : Problems.RateLimited(http, $"Over the \"{name}\" quota; retry in {Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds))} s.", decision.RetryAfter);
    }
}
