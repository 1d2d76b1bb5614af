namespace Mimi.Discovery.Transparency;

/// <summary>
/// The few tiles one tree operation needs, read up front, and the hashes computed from them. A perfect subtree at
/// tree level ℓ and index i lives in tile level ℓ/8 and is the fold of the 2^(ℓ mod 8) hashes it spans there.
/// </summary>
internal sealed class TileSet
{
    private readonly List<(int Level, long Index, ReadOnlyMemory<byte> Data)> _tiles;

    private TileSet(int capacity) => _tiles = new(capacity);

    /// <summary>Reads the distinct tiles in one batch.</summary>
    public static async ValueTask<TileSet> ReadAsync(ITileReader reader, List<TileCoordinate> tiles, CancellationToken cancellationToken)
    {
        var set = new TileSet(tiles.Count);
        if (tiles.Count == 0)
        {
            return set;
        }

        var data = await reader.ReadTilesAsync(tiles, cancellationToken).ConfigureAwait(false);
        if (data.Count != tiles.Count)
        {
            throw new InvalidDataException($"The tile reader returned {data.Count} tiles for {tiles.Count} asked.");
        }

        for (var i = 0; i < tiles.Count; i++)
        {
            set.Add(tiles[i], data[i]);
        }

        return set;
    }

    /// <summary>Adds (or replaces with a newer version) a tile, checking it holds the hashes its width promises.</summary>
    public void Add(TileCoordinate tile, ReadOnlyMemory<byte> data)
    {
        if (data.Length < tile.ByteLength)
        {
            throw new InvalidDataException($"Tile {tile.Path} has {data.Length} bytes, fewer than its {tile.ByteLength}.");
        }

        for (var i = 0; i < _tiles.Count; i++)
        {
            if (_tiles[i].Level == tile.Level && _tiles[i].Index == tile.Index)
            {
                _tiles[i] = (tile.Level, tile.Index, data);
                return;
            }
        }

        _tiles.Add((tile.Level, tile.Index, data));
    }

    /// <summary>Adds the tile holding perfect subtree (tree level, node index) of a tree of that size, if not there yet.</summary>
    public static void Need(List<TileCoordinate> tiles, int treeLevel, long nodeIndex, long treeSize)
    {
        var tile = TileCoordinate.ForNode(treeLevel, nodeIndex, treeSize);
        foreach (var known in tiles)
        {
            if (known.Level == tile.Level && known.Index == tile.Index)
            {
                return;
            }
        }

        tiles.Add(tile);
    }

    /// <summary>Adds the tiles that the hash of leaves [lo, hi) needs; hi is the tree size or lo is aligned to hi − lo.</summary>
    public static void NeedRange(List<TileCoordinate> tiles, long lo, long hi, long treeSize)
    {
        var length = hi - lo;
        for (var bit = 0; bit < 63 && (length >> bit) != 0; bit++)
        {
            if (((length >> bit) & 1) != 0)
            {
                Need(tiles, bit, PieceStart(lo, length, bit) >> bit, treeSize);
            }
        }
    }

    /// <summary>Copies the first <c>destination.Length</c> bytes of a tile that was read or added.</summary>
    public void CopyTile(int level, long index, Span<byte> destination) => Find(level, index)[..destination.Length].CopyTo(destination);

    /// <summary>Writes the hash of perfect subtree (tree level, node index).</summary>
    public void PerfectHash(int treeLevel, long nodeIndex, Span<byte> destination)
    {
        var level = treeLevel / TileCoordinate.Height;
        var span = treeLevel % TileCoordinate.Height;
        var first = nodeIndex << span;
        var tile = Find(level, first >> TileCoordinate.Height);
        var offset = (int)(first & (TileCoordinate.FullWidth - 1)) * MerkleHash.Size;
        var length = MerkleHash.Size << span;
        if (tile.Length < offset + length)
        {
            throw new InvalidDataException($"Tile {level}/{first >> TileCoordinate.Height} is too short for node {treeLevel}/{nodeIndex}.");
        }

        MerkleHash.FoldPerfect(tile.Slice(offset, length), destination);
    }

    /// <summary>
    /// Writes the RFC 9162 hash of leaves [lo, hi): the perfect subtrees given by the binary digits of hi − lo,
    /// largest first, folded from the right.
    /// </summary>
    public void RangeHash(long lo, long hi, Span<byte> destination)
    {
        Span<byte> piece = stackalloc byte[MerkleHash.Size];
        var length = hi - lo;
        var have = false;
        for (var bit = 0; bit < 63 && (length >> bit) != 0; bit++)
        {
            if (((length >> bit) & 1) == 0)
            {
                continue;
            }

            var start = PieceStart(lo, length, bit);
            if (!have)
            {
                PerfectHash(bit, start >> bit, destination);
                have = true;
            }
            else
            {
                PerfectHash(bit, start >> bit, piece);
                MerkleHash.HashChildren(piece, destination[..MerkleHash.Size], destination);
            }
        }
    }

    /// <summary>The first leaf of the piece of size 2^bit in the decomposition of [lo, lo + length).</summary>
    private static long PieceStart(long lo, long length, int bit) => lo + ((length >> (bit + 1)) << (bit + 1));

    private ReadOnlySpan<byte> Find(int level, long index)
    {
        foreach (var (tileLevel, tileIndex, data) in _tiles)
        {
            if (tileLevel == level && tileIndex == index)
            {
                return data.Span;
            }
        }

        throw new InvalidOperationException($"Tile {level}/{index} was not read; the tile plan and the hashing disagree.");
    }
}
