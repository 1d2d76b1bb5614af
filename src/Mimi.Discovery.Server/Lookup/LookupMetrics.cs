using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mimi.Discovery.RateLimiting;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>
/// The lookup module's instruments (meter <c>Mimi.Discovery.Lookup</c>): plain lookups and private evaluations by
/// outcome, bucket fetches, and the mapping index's size and lag. The requester tag is the calling provider's domain
/// (providers only may look up), so its values are bounded by the enrolled providers; no identifier is ever a tag.
/// </summary>
internal sealed class LookupMetrics
{
    public const string MeterName = "Mimi.Discovery.Lookup";

    public const string Plain = "plain";
    public const string Private = "private";

    public const string Found = "found";
    public const string None = "none";
    public const string Evaluated = "evaluated";
    public const string RefusedRequesterQuota = "refused-requester-quota";
    public const string RefusedOwnerQuota = "refused-owner-quota";
    public const string LimiterUnavailable = "limiter-unavailable";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _evaluations;
    private readonly Counter<long> _bucketFetches;

    public LookupMetrics(IMeterFactory meters, MappingIndex index, TimeProvider time)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("mimi.lookup.requests", "{request}", "Lookup requests by mode and outcome, per requesting provider.");
        _evaluations = meter.CreateCounter<long>("mimi.oprf.evaluations", "{element}", "Blinded elements evaluated for private lookups, per requesting provider.");
        _bucketFetches = meter.CreateCounter<long>("mimi.oprf.bucket_fetches", "{request}", "Private lookup bucket fetches by outcome, per requesting provider.");
        meter.CreateObservableGauge("mimi.lookup.index.size", () => index.Count, "{mapping}", "Mappings held by this replica's in-memory index.");
        meter.CreateObservableGauge("mimi.lookup.index.lag", () => index.Lag(time.GetUtcNow()).TotalSeconds, "s",
            "How long this replica's mapping index has gone without catching up with the database (0 while its polls succeed on time).");
    }

    /// <summary>
    /// Counts a plain lookup. Partition 0 of the decision is the requester's quota, any other an owner's; allowed
    /// lookups are <c>found</c> when any identifier had a visible mapping.
    /// </summary>
    public void PlainLookup(string requester, RateLimitDecision decision, bool found) =>
        _requests.Add(1, new TagList
        {
            { "mimi.lookup.mode", Plain },
            { "mimi.lookup.outcome", Outcome(decision, found ? Found : None) },
            { "mimi.requester", requester },
        });

    /// <summary>Counts a private evaluation request and, when allowed, the elements it evaluated.</summary>
    public void PrivateEvaluation(string requester, RateLimitDecision decision, int elements)
    {
        _requests.Add(1, new TagList
        {
            { "mimi.lookup.mode", Private },
            { "mimi.lookup.outcome", Outcome(decision, Evaluated) },
            { "mimi.requester", requester },
        });
        if (decision.IsAllowed)
        {
            _evaluations.Add(elements, new KeyValuePair<string, object?>("mimi.requester", requester));
        }
    }

    /// <summary>Counts a bucket fetch: <c>found</c> when it served real records, <c>none</c> when only decoys.</summary>
    public void BucketFetch(string requester, RateLimitDecision decision, bool found) =>
        _bucketFetches.Add(1, new KeyValuePair<string, object?>("mimi.requester", requester),
            new KeyValuePair<string, object?>("mimi.lookup.outcome", Outcome(decision, found ? Found : None)));

    /// <summary>The outcome a decision gives: a refusal names whose quota, an allowed one the caller's own outcome.</summary>
    public static string Outcome(RateLimitDecision decision, string allowed) => decision.Reason switch
    {
        // Failing open still answers: the outcome says the limiter was not consulted, which is what an operator alerts on.
        RateLimitReason.BackendUnavailable => LimiterUnavailable,
        _ when decision.IsAllowed => allowed,
        _ => decision.KeyIndex == 0 ? RefusedRequesterQuota : RefusedOwnerQuota,
    };
}
