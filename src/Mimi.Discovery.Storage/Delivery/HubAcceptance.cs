using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>
/// What the hub does when it accepts a handshake or application message, atomically: checks (and for a commit,
/// advances) the room's epoch, delivers the message to local members except the sender, queues one notify per
/// follower provider, adds the Welcome's new members, delivers local Welcomes and queues remote ones.
/// </summary>
public sealed record HubAcceptance(
    string RoomId,
    string OwnDomain,
    ulong Epoch,
    bool AdvanceEpoch,
    byte[]? GroupInfo,
    byte[]? RatchetTree,
    string? SenderClient,
    InboxKind Kind,
    byte[] Message,
    byte[] NotifyBody,
    IReadOnlyList<RoomMember> NewMembers,
    IReadOnlyList<InboxDelivery> LocalWelcomes,
    IReadOnlyList<FollowerNotify> RemoteWelcomes)
{
    /// <summary>
    /// The room's members after this commit, read from the hub's own ratchet tree; when set it replaces the member list
    /// (after the commit is fanned out to the old one), so removals stop fan-out, and the removed are recorded at the
    /// new epoch. Null keeps the list and adds <see cref="NewMembers"/>.
    /// </summary>
    public IReadOnlyList<RoomMember>? Roster { get; init; }

    /// <summary>
    /// The room's public group state after this message; when set it is written only if the stored state is still the
    /// one of sequence number <see cref="StateSeq"/> (else nothing is accepted and the current epoch is answered).
    /// </summary>
    public byte[]? State { get; init; }

    /// <summary>The sequence number of the state <see cref="State"/> was computed from.</summary>
    public long StateSeq { get; init; }

    /// <summary>An external commit's GroupInfo grant to consume: the joiner's client.</summary>
    public string? ConsumedGrant { get; init; }

    /// <summary>For an application message the hub franked: its <c>Frank</c> (draft-ietf-mimi-protocol-06 §5.4.1), encoded.</summary>
    public byte[]? Frank { get; init; }

    /// <summary>For an application message: when the hub accepted it, in milliseconds since the Unix epoch (the frank covers it).</summary>
    public ulong? AcceptedTimestamp { get; init; }
}
