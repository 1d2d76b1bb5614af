namespace Mimi.Discovery.Transparency;

/// <summary>
/// Rebuilds a tiled tree from its leaf hashes alone, a page at a time, holding only the right edge in memory. What it
/// derives is what an auditor of a stored log compares with the stored version: every tile above level 0 (once, when
/// it becomes full, or at its final width on the right edge) and the root. Memory stays O(log n) whatever the size.
/// </summary>
public sealed class TileRebuilder
{
    private readonly EdgeTiles _edge = new();

    /// <summary>The number of leaves appended so far.</summary>
    public long TreeSize { get; private set; }

    /// <summary>The root of the tree of <see cref="TreeSize"/> leaves.</summary>
    public byte[] Root { get; private set; } = MerkleHash.EmptyRoot.ToArray();

    /// <summary>
    /// Appends the next leaf hashes. Returns the tiles above level 0 that this page completed (full width), each
    /// exactly once over the whole rebuild; level-0 tiles are the leaf hashes themselves, which the caller has.
    /// </summary>
    /// <exception cref="ArgumentException">A leaf hash is not 32 bytes long.</exception>
    public async ValueTask<IReadOnlyList<TileWrite>> AppendAsync(IReadOnlyList<byte[]> leafHashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        if (leafHashes.Count == 0)
        {
            return [];
        }

        var append = await TileAppender.AppendAsync(TreeSize, leafHashes, _edge, cancellationToken).ConfigureAwait(false);
        var completed = new List<TileWrite>();
        foreach (var tile in append.Tiles)
        {
            if (tile.Coordinate.IsPartial)
            {
                _edge.Keep(tile);
                continue;
            }

            // A full tile is never read again by later appends (they only read the partial right edge).
            _edge.Forget(tile.Coordinate);
            if (tile.Coordinate.Level > 0)
            {
                completed.Add(tile);
            }
        }

        TreeSize = append.TreeSize;
        Root = append.Root;
        return completed;
    }

    /// <summary>The partial tiles above level 0 on the right edge of the tree rebuilt so far, at their current width.</summary>
    public IReadOnlyList<TileWrite> PartialTiles() => _edge.Above(0);

    /// <summary>The right-edge partial tiles, the only ones <see cref="TileAppender"/> reads.</summary>
    private sealed class EdgeTiles : ITileReader
    {
        private readonly Dictionary<(int Level, long Index), TileWrite> _tiles = [];

        public void Keep(TileWrite tile) => _tiles[(tile.Coordinate.Level, tile.Coordinate.Index)] = tile;

        public void Forget(TileCoordinate tile) => _tiles.Remove((tile.Level, tile.Index));

        public IReadOnlyList<TileWrite> Above(int level) =>
            [.. _tiles.Values.Where(t => t.Coordinate.Level > level).OrderBy(t => t.Coordinate.Level)];

        public ValueTask<ReadOnlyMemory<byte>> ReadTileAsync(TileCoordinate tile, CancellationToken cancellationToken) =>
            _tiles.TryGetValue((tile.Level, tile.Index), out var held) && held.Hashes.Length >= tile.ByteLength
                ? ValueTask.FromResult<ReadOnlyMemory<byte>>(held.Hashes)
                : throw new KeyNotFoundException($"Tile {tile.Path} is not on the right edge rebuilt so far.");
    }
}
