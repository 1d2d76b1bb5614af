namespace Mimi.Discovery.Transparency;

/// <summary>
/// Roots and RFC 9162 proofs for a tree of a given size stored as C2SP tiles. Each operation first works out the
/// tiles it needs, reads them in one <see cref="ITileReader.ReadTilesAsync"/> call, then hashes.
/// </summary>
public static class MerkleTree
{
    /// <summary>The root hash of the tree of <paramref name="treeSize"/> leaves (<see cref="MerkleHash.EmptyRoot"/> for 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is negative.</exception>
    public static async ValueTask<byte[]> RootAsync(ITileReader reader, long treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        if (treeSize == 0)
        {
            return MerkleHash.EmptyRoot.ToArray();
        }

        var needed = new List<TileCoordinate>(8);
        TileSet.NeedRange(needed, 0, treeSize, treeSize);
        var tiles = await TileSet.ReadAsync(reader, needed, cancellationToken).ConfigureAwait(false);
        var root = new byte[MerkleHash.Size];
        tiles.RangeHash(0, treeSize, root);
        return root;
    }

    /// <summary>
    /// The RFC 9162 §2.1.3.1 inclusion proof (audit path) of leaf <paramref name="index"/> in the tree of
    /// <paramref name="treeSize"/> leaves, hashes nearest the leaf first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not a leaf of that tree.</exception>
    public static async ValueTask<IReadOnlyList<byte[]>> InclusionProofAsync(ITileReader reader, long index, long treeSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, treeSize);
        return await ProveAsync(reader, InclusionRanges(index, treeSize), treeSize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The RFC 9162 §2.1.4.1 consistency proof from the tree of <paramref name="oldSize"/> leaves to the tree of
    /// <paramref name="newSize"/> leaves (empty when the old tree is empty or the sizes are equal).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The old size is negative or larger than the new one.</exception>
    public static async ValueTask<IReadOnlyList<byte[]>> ConsistencyProofAsync(ITileReader reader, long oldSize, long newSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, newSize);
        if (oldSize == 0 || oldSize == newSize)
        {
            return [];
        }

        return await ProveAsync(reader, ConsistencyRanges(oldSize, newSize), newSize, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<byte[][]> ProveAsync(ITileReader reader, List<(long Lo, long Hi)> ranges, long treeSize,
        CancellationToken cancellationToken)
    {
        var needed = new List<TileCoordinate>(8);
        foreach (var (lo, hi) in ranges)
        {
            TileSet.NeedRange(needed, lo, hi, treeSize);
        }

        var tiles = await TileSet.ReadAsync(reader, needed, cancellationToken).ConfigureAwait(false);
        var proof = new byte[ranges.Count][];
        for (var i = 0; i < ranges.Count; i++)
        {
            proof[i] = new byte[MerkleHash.Size];
            tiles.RangeHash(ranges[i].Lo, ranges[i].Hi, proof[i]);
        }

        return proof;
    }

    /// <summary>The leaf ranges whose hashes make PATH(m, D[0:n]), in proof order.</summary>
    internal static List<(long Lo, long Hi)> InclusionRanges(long index, long treeSize)
    {
        var ranges = new List<(long, long)>(64);
        long lo = 0, hi = treeSize;
        while (hi - lo > 1)
        {
            var split = LargestPowerOfTwoBelow(hi - lo);
            if (index < lo + split)
            {
                ranges.Add((lo + split, hi));
                hi = lo + split;
            }
            else
            {
                ranges.Add((lo, lo + split));
                lo += split;
            }
        }

        // Walking down from the root collects the siblings root-side first; the proof starts at the leaf.
        ranges.Reverse();
        return ranges;
    }

    /// <summary>The leaf ranges whose hashes make SUBPROOF(m, D[0:n], true), in proof order (0 &lt; m &lt; n).</summary>
    internal static List<(long Lo, long Hi)> ConsistencyRanges(long oldSize, long newSize)
    {
        var ranges = new List<(long, long)>(64);
        long lo = 0, hi = newSize;
        var wholeOldTree = true;
        while (hi != oldSize)
        {
            var split = LargestPowerOfTwoBelow(hi - lo);
            if (oldSize <= lo + split)
            {
                ranges.Add((lo + split, hi));
                hi = lo + split;
            }
            else
            {
                ranges.Add((lo, lo + split));
                lo += split;
                wholeOldTree = false;
            }
        }

        if (!wholeOldTree)
        {
            // The verifier knows the old root, so a subtree that is exactly the old tree is left out.
            ranges.Add((lo, hi));
        }

        ranges.Reverse();
        return ranges;
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2).</summary>
    private static long LargestPowerOfTwoBelow(long n) => 1L << (63 - (int)long.LeadingZeroCount(n - 1));
}
