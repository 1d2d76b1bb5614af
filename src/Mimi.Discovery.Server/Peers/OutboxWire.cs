namespace Mimi.Discovery.Server.Peers;

/// <summary>The outbox as the operator sees it: what waits (in all and per destination), what was given up, and the latest failures.</summary>
internal sealed record OutboxView(long Pending, long Failed, long? OldestPendingSeconds, FailedDeliveryView[] RecentFailures, DestinationOutboxView[] Destinations);

/// <summary>What waits for one destination: how many messages, and the age of the oldest in seconds.</summary>
internal sealed record DestinationOutboxView(string Destination, long Pending, long OldestPendingSeconds);

/// <summary>A provider-to-provider delivery given up after its retries.</summary>
internal sealed record FailedDeliveryView(string MessageId, string Destination, string Endpoint, string Target, int Attempts, DateTimeOffset CreatedAt, string? LastError);
