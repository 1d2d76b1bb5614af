namespace Mimi.Discovery.Sandbox;

/// <summary>
/// The result of <c>groupState</c>: a client's view of a group as ts-mls keeps it — the epoch, the group context's tree
/// hash and confirmed transcript hash, the interim transcript hash, the members' credential identities in leaf-index
/// order (blank leaves skipped) with their <see cref="LeafIndices"/> alongside, and the client's own leaf index.
/// </summary>
public sealed record MlsPeerGroupState(
    ulong Epoch,
    byte[] TreeHash,
    byte[] ConfirmedTranscriptHash,
    byte[] InterimTranscriptHash,
    IReadOnlyList<string> Members,
    IReadOnlyList<uint> LeafIndices,
    uint LeafIndex);
