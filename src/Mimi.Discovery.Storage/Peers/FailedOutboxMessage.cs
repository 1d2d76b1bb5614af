namespace Mimi.Discovery.Storage;

/// <summary>A message the outbox gave up on.</summary>
public sealed record FailedOutboxMessage(string MessageId, string Destination, string Endpoint, string Target, int Attempts, DateTimeOffset CreatedAt, string? LastError);
