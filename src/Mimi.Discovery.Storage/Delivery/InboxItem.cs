using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>An inbox item as a client reads it.</summary>
public sealed record InboxItem(long Sequence, InboxKind Kind, string RoomId, byte[] Message, byte[]? RatchetTree, DateTimeOffset CreatedAt);
