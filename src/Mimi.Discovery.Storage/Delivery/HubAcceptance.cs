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
    /// The room's members after this commit, read from the ratchet tree the committer sent; when set it replaces the
    /// member list (after the commit is fanned out to the old one), so removals stop fan-out. Null keeps the list and
    /// adds <see cref="NewMembers"/>.
    /// </summary>
    public IReadOnlyList<RoomMember>? Roster { get; init; }

    /// <summary>An external commit's GroupInfo grant to consume: the joiner's client.</summary>
    public string? ConsumedGrant { get; init; }
}
