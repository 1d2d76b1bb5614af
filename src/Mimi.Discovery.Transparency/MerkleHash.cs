using System.Security.Cryptography;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// RFC 9162 §2.1.1 Merkle tree hashing with SHA-256: leaves are hashed with a 0x00 prefix, interior nodes with 0x01,
/// and the empty tree hashes to SHA-256 of nothing.
/// </summary>
public static class MerkleHash
{
    /// <summary>The size of every hash in the tree, in bytes.</summary>
    public const int Size = 32;

    // Reusing one hash object per thread skips creating a native digest context for every 65-byte node hash,
    // about a third of its cost. Hashing never awaits, so no two operations share it.
    [ThreadStatic]
    private static IncrementalHash? _sha256;

    private static ReadOnlySpan<byte> LeafPrefix => [0x00];

    private static IncrementalHash Sha256 => _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The root of the empty tree: SHA-256("") = e3b0c442…b855.</summary>
    public static ReadOnlySpan<byte> EmptyRoot =>
    [
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
        0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
    ];

    /// <summary>The leaf hash SHA-256(0x00 ‖ <paramref name="data"/>).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        LeafHash(data, hash);
        return hash;
    }

    /// <summary>Writes the leaf hash SHA-256(0x00 ‖ <paramref name="data"/>) into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/>.</exception>
    public static void LeafHash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        CheckDestination(destination);
        var sha256 = Sha256;
        sha256.AppendData(LeafPrefix);
        sha256.AppendData(data);
        sha256.GetHashAndReset(destination);
    }

    /// <summary>The interior node hash SHA-256(0x01 ‖ <paramref name="left"/> ‖ <paramref name="right"/>).</summary>
    /// <exception cref="ArgumentException">A child is not <see cref="Size"/> bytes long.</exception>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        NodeHash(left, right, hash);
        return hash;
    }

    /// <summary>
    /// Writes SHA-256(0x01 ‖ <paramref name="left"/> ‖ <paramref name="right"/>) into <paramref name="destination"/>,
    /// which may overlap either child.
    /// </summary>
    /// <exception cref="ArgumentException">A child is not <see cref="Size"/> bytes long, or the destination is too short.</exception>
    public static void NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        if (left.Length != Size || right.Length != Size)
        {
            throw new ArgumentException($"Merkle tree children are {Size}-byte hashes.");
        }

        CheckDestination(destination);
        HashChildren(left, right, destination);
    }

    /// <summary>
    /// The RFC 9162 Merkle tree hash of a whole list of leaf hashes, for small trees kept in memory (the empty list
    /// gives <see cref="EmptyRoot"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A leaf hash is not <see cref="Size"/> bytes long.</exception>
    public static byte[] ComputeRoot(IReadOnlyList<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        if (leafHashes.Count == 0)
        {
            return EmptyRoot.ToArray();
        }

        // The right edge of the tree: one hash per perfect subtree, largest first, as the binary digits of the count.
        Span<byte> edge = stackalloc byte[64 * Size];
        var depth = 0;
        for (long count = 0; count < leafHashes.Count; count++)
        {
            var leaf = leafHashes[(int)count];
            if (leaf is null || leaf.Length != Size)
            {
                throw new ArgumentException($"Leaf hash {count} is not {Size} bytes long.", nameof(leafHashes));
            }

            var top = edge.Slice(depth * Size, Size);
            leaf.CopyTo(top);
            depth++;
            for (var size = count; (size & 1) == 1; size >>= 1)
            {
                // Each trailing one bit of the old count is a perfect subtree the new leaf completes.
                var left = edge.Slice((depth - 2) * Size, Size);
                HashChildren(left, edge.Slice((depth - 1) * Size, Size), left);
                depth--;
            }
        }

        var root = edge.Slice((depth - 1) * Size, Size);
        for (var i = depth - 2; i >= 0; i--)
        {
            HashChildren(edge.Slice(i * Size, Size), root, root);
        }

        return root.ToArray();
    }

    /// <summary>SHA-256(0x01 ‖ left ‖ right) without argument checks; the destination may overlap a child.</summary>
    internal static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * Size)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        var sha256 = Sha256;
        sha256.AppendData(buffer);
        sha256.GetHashAndReset(destination);
    }

    /// <summary>Folds 2^k consecutive hashes (k ≥ 0) into the root of the perfect subtree they are the leaves of.</summary>
    internal static void FoldPerfect(ReadOnlySpan<byte> hashes, Span<byte> destination)
    {
        var count = hashes.Length / Size;
        if (count == 1)
        {
            hashes[..Size].CopyTo(destination);
            return;
        }

        Span<byte> work = stackalloc byte[count / 2 * Size];
        for (var i = 0; i < count / 2; i++)
        {
            HashChildren(hashes.Slice(2 * i * Size, Size), hashes.Slice(((2 * i) + 1) * Size, Size), work.Slice(i * Size, Size));
        }

        for (var width = count / 2; width > 1; width /= 2)
        {
            for (var i = 0; i < width / 2; i++)
            {
                HashChildren(work.Slice(2 * i * Size, Size), work.Slice(((2 * i) + 1) * Size, Size), work.Slice(i * Size, Size));
            }
        }

        work[..Size].CopyTo(destination);
    }

    private static void CheckDestination(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"The destination must hold {Size} bytes.", nameof(destination));
        }
    }
}
