namespace Mimi.Discovery.Protocol;

/// <summary>A member's leaf in a ratchet tree: its leaf index and LeafNode.</summary>
public sealed record MlsTreeLeaf(uint LeafIndex, MlsLeafNode Node);
