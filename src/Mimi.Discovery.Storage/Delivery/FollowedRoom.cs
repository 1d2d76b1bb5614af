namespace Mimi.Discovery.Storage;

/// <summary>A room this instance follows: the public group state it verified from the hub's notifies, and the sequence number of its last write.</summary>
public sealed record FollowedRoom(string RoomId, byte[] State, long StateSeq);
