namespace Mimi.Discovery.Transparency;

/// <summary>
/// Appends leaf hashes to a tiled tree without storing anything itself: it reads the right-edge partial tiles of
/// the current tree (one batched read) and returns the tiles to write and the new root. Only the right edge is
/// touched, so the cost depends on the batch, not on the tree size.
/// </summary>
public static class TileAppender
{
    /// <summary>Computes the tiles and root after appending <paramref name="leafHashes"/> to a tree of <paramref name="treeSize"/> leaves.</summary>
    /// <param name="treeSize">The current tree size; the reader must hold its tiles.</param>
    /// <param name="leafHashes">The new leaf hashes (<see cref="MerkleHash.LeafHash(ReadOnlySpan{byte})"/> of each entry), in order.</param>
    /// <param name="reader">Reads the current right-edge partial tiles.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException">A leaf hash is not 32 bytes long, or the tree would overflow.</exception>
    public static async ValueTask<TileAppendResult> AppendAsync(long treeSize, IReadOnlyList<byte[]> leafHashes, ITileReader reader,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentNullException.ThrowIfNull(reader);
        if (leafHashes.Count > int.MaxValue / MerkleHash.Size || leafHashes.Count > long.MaxValue - treeSize)
        {
            throw new ArgumentException("The batch is too large, or the tree would exceed 2^63 − 1 leaves.", nameof(leafHashes));
        }

        var leaves = new byte[leafHashes.Count * MerkleHash.Size];
        for (var i = 0; i < leafHashes.Count; i++)
        {
            if (leafHashes[i] is not { Length: MerkleHash.Size } leaf)
            {
                throw new ArgumentException($"Leaf hash {i} is not {MerkleHash.Size} bytes long.", nameof(leafHashes));
            }

            leaf.CopyTo(leaves, i * MerkleHash.Size);
        }

        // The right edge of the current tree: its partial tile at every level. Levels that grow need them as the
        // prefix of their new tile; levels that do not keep them as the right edge of the new tree.
        var edge = new List<TileCoordinate>(8);
        for (var level = 0; level <= TileCoordinate.MaxLevel && (treeSize >> (TileCoordinate.Height * level)) > 0; level++)
        {
            var count = treeSize >> (TileCoordinate.Height * level);
            if ((count & (TileCoordinate.FullWidth - 1)) != 0)
            {
                edge.Add(TileCoordinate.InTree(level, count >> TileCoordinate.Height, treeSize));
            }
        }

        var tiles = await TileSet.ReadAsync(reader, edge, cancellationToken).ConfigureAwait(false);
        var writes = Grow(treeSize, leaves, tiles);
        var newSize = treeSize + leafHashes.Count;
        var root = new byte[MerkleHash.Size];
        if (newSize == 0)
        {
            MerkleHash.EmptyRoot.CopyTo(root);
        }
        else
        {
            tiles.RangeHash(0, newSize, root);
        }

        return new TileAppendResult(newSize, root, writes);
    }

    /// <summary>Builds the new tile versions level by level, adding each to <paramref name="tiles"/> as it goes.</summary>
    private static List<TileWrite> Grow(long treeSize, byte[] leaves, TileSet tiles)
    {
        var writes = new List<TileWrite>();
        var added = leaves;
        for (var level = 0; added.Length > 0; level++)
        {
            var oldCount = treeSize >> (TileCoordinate.Height * level);
            var newCount = oldCount + (added.Length / MerkleHash.Size);
            var firstTile = oldCount >> TileCoordinate.Height;
            var lastTile = (newCount - 1) >> TileCoordinate.Height;
            var prefixWidth = (int)(oldCount & (TileCoordinate.FullWidth - 1));
            var prefix = ReadOnlySpan<byte>.Empty;
            if (prefixWidth > 0)
            {
                var old = new byte[prefixWidth * MerkleHash.Size];
                tiles.CopyTile(level, firstTile, old);
                prefix = old;
            }

            // Every tile this level fills becomes one new hash of the level above.
            var completed = (int)((newCount >> TileCoordinate.Height) - firstTile);
            var above = new byte[completed * MerkleHash.Size];
            for (var index = firstTile; index <= lastTile; index++)
            {
                var start = index << TileCoordinate.Height;
                var width = (int)Math.Min(TileCoordinate.FullWidth, newCount - start);
                var data = new byte[width * MerkleHash.Size];
                var from = 0;
                if (index == firstTile && prefixWidth > 0)
                {
                    prefix.CopyTo(data);
                    from = prefixWidth;
                }

                var addedOffset = (int)((start + from - oldCount) * MerkleHash.Size);
                added.AsSpan(addedOffset, (width - from) * MerkleHash.Size).CopyTo(data.AsSpan(from * MerkleHash.Size));
                var coordinate = new TileCoordinate(level, index, width);
                writes.Add(new TileWrite(coordinate, data));
                tiles.Add(coordinate, data);
                if (width == TileCoordinate.FullWidth)
                {
                    MerkleHash.FoldPerfect(data, above.AsSpan((int)(index - firstTile) * MerkleHash.Size, MerkleHash.Size));
                }
            }

            added = above;
        }

        return writes;
    }
}
