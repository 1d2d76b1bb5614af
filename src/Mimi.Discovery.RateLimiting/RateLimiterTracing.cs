using System.Diagnostics;

namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// The spans of the limiter: one per decision, within the trace of the request it decides for, with the decision as
/// tags (never the partition keys, which name requesters and owners). The Redis round trip is its child when Redis is
/// instrumented. Nothing is allocated while nobody listens.
/// </summary>
internal static class RateLimiterTracing
{
    public const string SourceName = "Mimi.Discovery.RateLimiting";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>Whether a decision made now would start a span: someone listens, and a trace is under way.</summary>
    public static bool Enabled => Activity.Current is not null && Source.HasListeners();

    public static Activity? Start(string name, int partitions)
    {
        var activity = Enabled ? Source.StartActivity(name, ActivityKind.Internal) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("mimi.ratelimit.partitions", partitions);
        }

        return activity;
    }

    public static void Decided(Activity? activity, RateLimitDecision decision)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("mimi.ratelimit.allowed", decision.IsAllowed);
            activity.SetTag("mimi.ratelimit.reason", decision.Reason.ToString());
            if (decision.Reason == RateLimitReason.BackendUnavailable)
            {
                activity.SetStatus(ActivityStatusCode.Error, "limiter unavailable");
            }
        }
    }
}
