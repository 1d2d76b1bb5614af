namespace Mimi.Discovery.Client;

/// <summary>The outbox as the instance's operator sees it.</summary>
public sealed record OutboxStatus(long Pending, long Failed, long? OldestPendingSeconds, FailedDelivery[] RecentFailures);
