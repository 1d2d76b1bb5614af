namespace Mimi.Discovery.Client;

/// <summary>The outbox as the instance's operator sees it; <paramref name="Destinations"/> per destination, those with most waiting first.</summary>
public sealed record OutboxStatus(long Pending, long Failed, long? OldestPendingSeconds, FailedDelivery[] RecentFailures, OutboxDestination[]? Destinations = null);
