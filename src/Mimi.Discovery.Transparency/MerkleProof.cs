using System.Security.Cryptography;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// Verification of RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs. Pure and synchronous: any
/// malformed input gives <see langword="false"/>, never an exception.
/// </summary>
public static class MerkleProof
{
    /// <summary>
    /// Whether <paramref name="proof"/> shows that the leaf with hash <paramref name="leafHash"/> sits at
    /// <paramref name="index"/> in the tree of <paramref name="treeSize"/> leaves whose root is <paramref name="root"/>.
    /// </summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long treeSize, IReadOnlyList<byte[]>? proof,
        ReadOnlySpan<byte> root)
    {
        if (proof is null || leafHash.Length != MerkleHash.Size || root.Length != MerkleHash.Size || index < 0 || index >= treeSize
            || proof.Count > 64)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(hash);
        var fn = index;
        var sn = treeSize - 1;
        for (var i = 0; i < proof.Count; i++)
        {
            if (proof[i] is not { Length: MerkleHash.Size } sibling || sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.HashChildren(sibling, hash, hash);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.HashChildren(hash, sibling, hash);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(hash, root);
    }

    /// <summary>
    /// Whether <paramref name="proof"/> shows that the tree of <paramref name="oldSize"/> leaves with root
    /// <paramref name="oldRoot"/> is a prefix of the tree of <paramref name="newSize"/> leaves with root
    /// <paramref name="newRoot"/>. Equal sizes need equal roots and an empty proof; an empty old tree needs the
    /// empty-tree root and an empty proof.
    /// </summary>
    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot,
        IReadOnlyList<byte[]>? proof)
    {
        if (proof is null || oldRoot.Length != MerkleHash.Size || newRoot.Length != MerkleHash.Size || oldSize < 0 || oldSize > newSize
            || proof.Count > 64)
        {
            return false;
        }

        if (oldSize == newSize)
        {
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(oldRoot, newRoot);
        }

        if (oldSize == 0)
        {
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(oldRoot, MerkleHash.EmptyRoot);
        }

        if (proof.Count == 0)
        {
            return false;
        }

        for (var i = 0; i < proof.Count; i++)
        {
            if (proof[i] is not { Length: MerkleHash.Size })
            {
                return false;
            }
        }

        // When the old tree is a perfect subtree the proof leaves its root out: it starts from the old root.
        var oldIsPerfect = (oldSize & (oldSize - 1)) == 0;
        Span<byte> oldHash = stackalloc byte[MerkleHash.Size];
        Span<byte> newHash = stackalloc byte[MerkleHash.Size];
        (oldIsPerfect ? oldRoot : proof[0]).CopyTo(oldHash);
        oldHash.CopyTo(newHash);
        var fn = oldSize - 1;
        var sn = newSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        for (var i = oldIsPerfect ? 0 : 1; i < proof.Count; i++)
        {
            if (sn == 0)
            {
                return false;
            }

            var c = proof[i];
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.HashChildren(c, oldHash, oldHash);
                MerkleHash.HashChildren(c, newHash, newHash);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.HashChildren(newHash, c, newHash);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0
            & CryptographicOperations.FixedTimeEquals(oldHash, oldRoot)
            & CryptographicOperations.FixedTimeEquals(newHash, newRoot);
    }
}
