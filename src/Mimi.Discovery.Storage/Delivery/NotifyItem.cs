using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>One fanned-out message a follower applies: explicit Welcome deliveries, or a room message for every local member.</summary>
public sealed record NotifyItem(InboxKind Kind, byte[] Message, string MessageHash, IReadOnlyList<InboxDelivery>? Welcomes, IReadOnlyList<RoomMember>? NewMembers);
