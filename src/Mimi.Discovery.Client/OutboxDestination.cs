namespace Mimi.Discovery.Client;

/// <summary>What waits in the outbox for one destination.</summary>
/// <param name="Destination">The peer provider's domain.</param>
/// <param name="Pending">Messages waiting for delivery to it.</param>
/// <param name="OldestPendingSeconds">How long the oldest of them has waited.</param>
public sealed record OutboxDestination(string Destination, long Pending, long OldestPendingSeconds);
