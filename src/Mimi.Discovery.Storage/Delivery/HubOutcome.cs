namespace Mimi.Discovery.Storage;

/// <summary>The hub's verdict: accepted, or the room's current epoch; and the local clients whose inbox grew.</summary>
public sealed record HubOutcome(bool Accepted, ulong CurrentEpoch, IReadOnlyList<string> NotifiedClients);
