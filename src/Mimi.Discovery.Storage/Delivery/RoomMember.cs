namespace Mimi.Discovery.Storage;

/// <summary>A member client of a room and the provider domain hosting it.</summary>
public sealed record RoomMember(string ClientUri, string Domain);
