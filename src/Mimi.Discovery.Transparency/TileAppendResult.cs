namespace Mimi.Discovery.Transparency;

/// <summary>The outcome of <see cref="TileAppender.AppendAsync"/>.</summary>
/// <param name="TreeSize">The size of the tree after the append.</param>
/// <param name="Root">The root hash of the tree after the append.</param>
/// <param name="Tiles">Every tile that is new or wider, at most one version per tile, lower levels first.</param>
public sealed record TileAppendResult(long TreeSize, byte[] Root, IReadOnlyList<TileWrite> Tiles);
