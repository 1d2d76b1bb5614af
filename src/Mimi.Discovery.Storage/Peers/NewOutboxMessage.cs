namespace Mimi.Discovery.Storage;

/// <summary>A message to put in the outbox.</summary>
public sealed record NewOutboxMessage(string MessageId, string Destination, string Endpoint, string Target, byte[] Body);
