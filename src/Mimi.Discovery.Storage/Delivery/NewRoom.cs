namespace Mimi.Discovery.Storage;

/// <summary>
/// A room to host: its MLS group at <paramref name="Epoch"/> as the creator's GroupInfo and ratchet tree (node vector
/// contents) describe it, the public group state the hub built from them, and its first members.
/// </summary>
public sealed record NewRoom(string RoomId, byte[] GroupId, ulong Epoch, byte[] GroupInfo, byte[] RatchetTree, byte[] State, IReadOnlyList<RoomMember> Members);
