namespace Mimi.Discovery.Client;

/// <summary>A room hosted by the client's provider and its epoch.</summary>
public sealed record RoomInfo(string Room, ulong Epoch);
