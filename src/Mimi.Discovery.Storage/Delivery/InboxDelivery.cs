using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>
/// One item to put in a local client's inbox. <see cref="Hold"/> quarantines it (and the room's later items for that
/// client) until the target user accepts the requester; <see cref="TargetUser"/> and <see cref="RequesterUser"/> name
/// that pair when held.
/// </summary>
public sealed record InboxDelivery(
    string ClientUri, InboxKind Kind, string RoomId, byte[] Message, byte[]? RatchetTree, bool Hold = false, string? TargetUser = null, string? RequesterUser = null)
{
    /// <summary>For an application message the hub franked: its <c>Frank</c> (draft-ietf-mimi-protocol-06 §5.4.1), encoded.</summary>
    public byte[]? Frank { get; init; }

    /// <summary>For an application message: when the hub accepted it, in milliseconds since the Unix epoch (the frank covers it).</summary>
    public ulong? AcceptedTimestamp { get; init; }
}
