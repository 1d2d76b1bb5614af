namespace Mimi.Discovery.Storage;

/// <summary>Counts the operator watches.</summary>
public sealed record OutboxSummary(long Pending, long Failed, DateTimeOffset? OldestPending);
