using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests;

public class MerkleProofTests
{
    private static readonly byte[][] Leaves = Rfc6962Vectors.LeafHashes;

    public static TheoryData<long, long, string[]> InclusionProofs => Rfc6962Vectors.InclusionProofs;

    public static TheoryData<long, long, string[]> ConsistencyProofs => Rfc6962Vectors.ConsistencyProofs;

    [Theory]
    [MemberData(nameof(InclusionProofs))]
    public void Published_inclusion_proofs_verify_and_every_corruption_fails(long index, long size, string[] hex)
    {
        var proof = Rfc6962Vectors.Hashes(hex);
        var root = Rfc6962Vectors.Roots[size - 1];
        var leaf = Leaves[index];
        Assert.True(MerkleProof.VerifyInclusion(leaf, index, size, proof, root));

        Assert.False(MerkleProof.VerifyInclusion(leaf, index - 1, size, proof, root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, index + 1, size, proof, root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, index ^ 2, size, proof, root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, index, size * 2, proof, root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, index, size / 2, proof, root));
        Assert.False(MerkleProof.VerifyInclusion(MerkleHash.LeafHash("wrong"u8), index, size, proof, root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, index, size, proof, Rfc6962Vectors.EmptyRoot));
        Assert.False(MerkleProof.VerifyInclusion(leaf, index, size, [.. proof, root], root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, index, size, [root, .. proof], root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, index, size, [.. proof, []], root));
        if (proof.Length > 0)
        {
            Assert.False(MerkleProof.VerifyInclusion(leaf, index, size, proof[..^1], root));
        }

        for (var i = 0; i < proof.Length; i++)
        {
            var flipped = proof.Select(h => h.ToArray()).ToArray();
            flipped[i][0] ^= 8;
            Assert.False(MerkleProof.VerifyInclusion(leaf, index, size, flipped, root));
        }
    }

    [Theory]
    [MemberData(nameof(ConsistencyProofs))]
    public void Published_consistency_proofs_verify_and_every_corruption_fails(long oldSize, long newSize, string[] hex)
    {
        var proof = Rfc6962Vectors.Hashes(hex);
        var oldRoot = Rfc6962Vectors.Roots[oldSize - 1];
        var newRoot = Rfc6962Vectors.Roots[newSize - 1];
        Assert.True(MerkleProof.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, proof));
        if (proof.Length == 0)
        {
            return;
        }

        Assert.False(MerkleProof.VerifyConsistency(oldSize - 1, newSize, oldRoot, newRoot, proof));
        Assert.False(MerkleProof.VerifyConsistency(oldSize + 1, newSize, oldRoot, newRoot, proof));
        Assert.False(MerkleProof.VerifyConsistency(oldSize ^ 2, newSize, oldRoot, newRoot, proof));
        Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize * 2, oldRoot, newRoot, proof));
        Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize / 2, oldRoot, newRoot, proof));
        Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize, newRoot, oldRoot, proof));
        Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize, Rfc6962Vectors.EmptyRoot, newRoot, proof));
        Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize, oldRoot, Rfc6962Vectors.EmptyRoot, proof));
        Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, []));
        Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, [.. proof, oldRoot]));
        Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, [.. proof, newRoot]));
        Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, [oldRoot, .. proof]));
        Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, [proof[0], .. proof]));
        Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, proof[..^1]));
        for (var i = 0; i < proof.Length; i++)
        {
            var flipped = proof.Select(h => h.ToArray()).ToArray();
            flipped[i][0] ^= 16;
            Assert.False(MerkleProof.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, flipped));
        }
    }

    [Fact]
    public void Inclusion_verification_rejects_impossible_inputs_without_throwing()
    {
        var leaf = Leaves[0];
        var root = Rfc6962Vectors.Roots[0];
        Assert.False(MerkleProof.VerifyInclusion(leaf, 0, 0, [], root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, 1, 1, [], root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, -1, 1, [], root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, 0, 1, null, root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, 0, 1, [], []));
        Assert.False(MerkleProof.VerifyInclusion([], 0, 1, [], root));
        Assert.False(MerkleProof.VerifyInclusion(leaf, 0, 2, [null!], Rfc6962Vectors.Roots[1]));
        Assert.False(MerkleProof.VerifyInclusion(leaf, 0, long.MaxValue, [.. Enumerable.Repeat(root, 65)], root));

        // A one-leaf tree's root is its leaf hash and its proof is empty.
        Assert.True(MerkleProof.VerifyInclusion(leaf, 0, 1, [], root));
    }

    [Fact]
    public void Consistency_of_equal_or_empty_trees_needs_an_empty_proof_and_the_right_roots()
    {
        var root1 = Rfc6962Vectors.Roots[0];
        var root2 = Rfc6962Vectors.Roots[1];
        var empty = Rfc6962Vectors.EmptyRoot;
        Assert.True(MerkleProof.VerifyConsistency(0, 0, empty, empty, []));
        Assert.True(MerkleProof.VerifyConsistency(0, 5, empty, root2, []));
        Assert.True(MerkleProof.VerifyConsistency(2, 2, root2, root2, []));
        Assert.False(MerkleProof.VerifyConsistency(0, 5, root1, root2, []));
        Assert.False(MerkleProof.VerifyConsistency(2, 2, root1, root2, []));
        Assert.False(MerkleProof.VerifyConsistency(2, 2, root2, root2, [empty]));
        Assert.False(MerkleProof.VerifyConsistency(0, 1, empty, root1, [empty]));
        Assert.False(MerkleProof.VerifyConsistency(2, 1, root2, root1, []));
        Assert.False(MerkleProof.VerifyConsistency(-1, 1, empty, root1, []));
        Assert.False(MerkleProof.VerifyConsistency(1, 2, root1, root2, null));
        Assert.False(MerkleProof.VerifyConsistency(1, 2, root1, root2, [null!]));
        Assert.False(MerkleProof.VerifyConsistency(1, 2, root1[..16], root2, [Leaves[1]]));
        Assert.True(MerkleProof.VerifyConsistency(1, 2, root1, root2, [Leaves[1]]));
    }
}
