namespace Mimi.Discovery.Storage;

/// <summary>How many undecided requests a hosted user holds at most: per requester domain, and in total.</summary>
public readonly record struct PendingLimits(int PerRequesterDomain, int PerTarget);
