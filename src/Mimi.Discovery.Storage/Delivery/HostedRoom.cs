namespace Mimi.Discovery.Storage;

/// <summary>
/// A room this instance hosts (the hub): its MLS group id, current epoch, latest GroupInfo and ratchet tree (the node
/// vector's contents), and the room's public group state (<see cref="State"/>, null for a room created before the hub
/// kept one) with the sequence number of its last write.
/// </summary>
public sealed record HostedRoom(
    string RoomId, byte[] GroupId, ulong Epoch, byte[]? GroupInfo, byte[]? RatchetTree, DateTimeOffset CreatedAt, byte[]? State, long StateSeq);
