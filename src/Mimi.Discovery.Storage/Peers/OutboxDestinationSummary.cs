namespace Mimi.Discovery.Storage;

/// <summary>The pending messages of one destination (<see cref="OutboxStore.SummarizeByDestinationAsync"/>).</summary>
/// <param name="Destination">The peer's domain.</param>
/// <param name="Pending">How many messages wait for delivery to it.</param>
/// <param name="OldestPending">When the oldest of them was queued.</param>
public sealed record OutboxDestinationSummary(string Destination, long Pending, DateTimeOffset OldestPending);
