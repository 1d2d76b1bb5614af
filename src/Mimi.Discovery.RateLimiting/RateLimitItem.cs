namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// One item of <see cref="KeyedRateLimiter.AcquireNewAsync"/>: charged only the first time it is seen, when it takes
/// one permit from each partition it names (a looked-up identifier new to the requester charges the requester's quota
/// and the quotas of the identifier's owners).
/// </summary>
/// <param name="Value">What identifies the item in the set of items seen, such as a keyed hash; distinct within a call.</param>
/// <param name="Partitions">Indexes, among the acquisition's partitions, of those the item charges when new; each at most once.</param>
public readonly record struct RateLimitItem(string Value, int[] Partitions);
