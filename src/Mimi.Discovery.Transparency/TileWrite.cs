namespace Mimi.Discovery.Transparency;

/// <summary>One tile to store after an append: its coordinate (with the new width) and its whole data.</summary>
/// <param name="Coordinate">The tile and its new width.</param>
/// <param name="Hashes">The tile data: <see cref="TileCoordinate.Width"/> × 32 bytes, the old prefix included.</param>
public readonly record struct TileWrite(TileCoordinate Coordinate, byte[] Hashes);
