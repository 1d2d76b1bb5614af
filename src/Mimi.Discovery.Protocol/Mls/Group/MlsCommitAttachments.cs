namespace Mimi.Discovery.Protocol;

/// <summary>
/// What a committer sends beside its commit, each checked when present: the GroupInfo of the new epoch and the
/// ratchet tree's node vector contents.
/// </summary>
/// <param name="GroupInfo">The new epoch's GroupInfo, or <see langword="null"/>.</param>
/// <param name="RatchetTreeContents">The new ratchet tree (the node vector's contents), or <see langword="null"/>.</param>
public sealed record MlsCommitAttachments(MlsGroupInfo? GroupInfo, byte[]? RatchetTreeContents)
{
    /// <summary>Nothing attached.</summary>
    public static MlsCommitAttachments None { get; } = new(null, null);
}
