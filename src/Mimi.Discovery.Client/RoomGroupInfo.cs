namespace Mimi.Discovery.Client;

/// <summary>The latest GroupInfo and ratchet tree (base64) of a room hosted by the client's provider.</summary>
public sealed record RoomGroupInfo(string Room, ulong Epoch, string? GroupInfo, string? RatchetTree);
