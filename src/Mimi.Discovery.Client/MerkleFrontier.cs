using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Client;

/// <summary>
/// The right edge of a Merkle tree: one hash per perfect subtree, largest first. Enough to extend the tree leaf by
/// leaf and compute its root, so an auditor keeps O(log n) state and re-hashes only what is new.
/// </summary>
internal sealed class MerkleFrontier
{
    private readonly List<byte[]> _subtrees = [];

    public long Size { get; private set; }

    public static MerkleFrontier Restore(long size, List<byte[]> subtrees)
    {
        if (subtrees.Count != long.PopCount(size))
        {
            throw new InvalidDataException($"A tree of size {size} has {long.PopCount(size)} right-edge subtrees, not {subtrees.Count}.");
        }

        var frontier = new MerkleFrontier { Size = size };
        frontier._subtrees.AddRange(subtrees);
        return frontier;
    }

    public IReadOnlyList<byte[]> Export() => _subtrees;

    public void Append(byte[] leafHash)
    {
        var hash = leafHash;
        // Each trailing one bit of the old size is a perfect subtree of the same height that the new one completes.
        for (var size = Size; (size & 1) == 1; size >>= 1)
        {
            hash = MerkleHash.NodeHash(_subtrees[^1], hash);
            _subtrees.RemoveAt(_subtrees.Count - 1);
        }

        _subtrees.Add(hash);
        Size++;
    }

    public byte[] Root()
    {
        if (_subtrees.Count == 0)
        {
            return MerkleHash.EmptyRoot.ToArray();
        }

        var hash = _subtrees[^1];
        for (var i = _subtrees.Count - 2; i >= 0; i--)
        {
            hash = MerkleHash.NodeHash(_subtrees[i], hash);
        }

        return hash;
    }
}
