using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>An inbox item as a client reads it.</summary>
public sealed record InboxItem(long Sequence, InboxKind Kind, string RoomId, byte[] Message, byte[]? RatchetTree, DateTimeOffset CreatedAt)
{
    /// <summary>For an application message the hub franked: its <c>Frank</c> (draft-ietf-mimi-protocol-06 §5.4.1), encoded.</summary>
    public byte[]? Frank { get; init; }

    /// <summary>For an application message: when the hub accepted it, in milliseconds since the Unix epoch (the frank covers it).</summary>
    public ulong? AcceptedTimestamp { get; init; }
}
