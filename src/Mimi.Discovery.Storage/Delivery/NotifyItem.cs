using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>One fanned-out message a follower applies: explicit Welcome deliveries, or a room message for every local member.</summary>
public sealed record NotifyItem(InboxKind Kind, byte[] Message, string MessageHash, IReadOnlyList<InboxDelivery>? Welcomes, IReadOnlyList<RoomMember>? NewMembers)
{
    /// <summary>
    /// For a commit the follower applied: the client URIs of the group's members after it. Local members not among
    /// them are removed once the commit is delivered (they get their removal and nothing after it).
    /// </summary>
    public IReadOnlyCollection<string>? Roster { get; init; }

    /// <summary>The epoch the commit starts (with <see cref="Roster"/>): removals are recorded at it.</summary>
    public ulong Epoch { get; init; }

    /// <summary>For an application message the hub franked: its <c>Frank</c> (draft-ietf-mimi-protocol-06 §5.4.1), encoded.</summary>
    public byte[]? Frank { get; init; }

    /// <summary>For an application message: when the hub accepted it, in milliseconds since the Unix epoch (the frank covers it).</summary>
    public ulong? AcceptedTimestamp { get; init; }
}
