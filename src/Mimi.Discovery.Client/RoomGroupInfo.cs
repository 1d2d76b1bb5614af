namespace Mimi.Discovery.Client;

/// <summary>The latest GroupInfo (null at a follower) and ratchet tree (base64, <c>ratchet_tree</c> extension data) of a room, as the client's provider verified them.</summary>
public sealed record RoomGroupInfo(string Room, ulong Epoch, string? GroupInfo, string? RatchetTree);
