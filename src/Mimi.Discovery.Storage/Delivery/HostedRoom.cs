namespace Mimi.Discovery.Storage;

/// <summary>A room this instance hosts (the hub): its MLS group id, current epoch and latest GroupInfo and ratchet tree.</summary>
public sealed record HostedRoom(string RoomId, byte[] GroupId, ulong Epoch, byte[]? GroupInfo, byte[]? RatchetTree, DateTimeOffset CreatedAt);
