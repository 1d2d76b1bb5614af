namespace Mimi.Discovery.Client;

/// <summary>A provider-to-provider delivery the outbox gave up on.</summary>
public sealed record FailedDelivery(string MessageId, string Destination, string Endpoint, string Target, int Attempts, DateTimeOffset CreatedAt, string? LastError);
