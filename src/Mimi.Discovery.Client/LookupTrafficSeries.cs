namespace Mimi.Discovery.Client;

/// <summary>Lookups per minute from one requester with one outcome.</summary>
/// <param name="Requester">The requesting provider's domain.</param>
/// <param name="Outcome"><c>found</c>, <c>none</c>, <c>evaluated</c>, <c>refused-requester-quota</c>, <c>refused-owner-quota</c> or <c>limiter-unavailable</c>.</param>
/// <param name="Total">The sum of <paramref name="Counts"/>.</param>
/// <param name="Counts">One count per minute, oldest first.</param>
public sealed record LookupTrafficSeries(string Requester, string Outcome, long Total, long[] Counts);
