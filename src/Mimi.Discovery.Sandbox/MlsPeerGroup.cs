namespace Mimi.Discovery.Sandbox;

/// <summary>
/// The result of <c>createGroup</c>: the group id, its epoch (0), the creator's GroupInfo of that epoch (MLSMessage,
/// with external_pub) and the TLS-encoded ratchet tree (the <c>ratchet_tree</c> extension's data) — what a hub needs
/// to start the room's public state.
/// </summary>
public sealed record MlsPeerGroup(string GroupId, ulong Epoch, byte[] GroupInfo, byte[] RatchetTree);
