namespace Mimi.Discovery.Sandbox;

/// <summary>
/// The result of a commit (<c>addMember</c>, <c>removeMember</c>, <c>joinExternal</c>, <c>update</c>, <c>commitPending</c>): the commit (MLSMessage), the
/// Welcome (MLSMessage; empty when nobody is added by it), a GroupInfo of the new epoch (MLSMessage, with external_pub),
/// the TLS-encoded ratchet tree (the <c>ratchet_tree</c> extension's data) and the new epoch.
/// </summary>
public sealed record MlsPeerCommit(byte[] Commit, byte[] Welcome, byte[] GroupInfo, byte[] RatchetTree, ulong Epoch);
