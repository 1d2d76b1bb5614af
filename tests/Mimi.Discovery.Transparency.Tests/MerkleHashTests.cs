using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests;

public class MerkleHashTests
{
    [Fact]
    public void Empty_tree_root_is_sha256_of_nothing()
    {
        Assert.Equal(Rfc6962Vectors.EmptyRoot, MerkleHash.EmptyRoot.ToArray());
        Assert.Equal(Rfc6962Vectors.EmptyRoot, MerkleHash.ComputeRoot([]));
    }

    [Fact]
    public void Leaf_and_node_hashes_use_the_rfc_prefixes()
    {
        // The first two leaves of the RFC 6962 test tree: their leaf hashes appear in its published proofs.
        Assert.Equal(Rfc6962Vectors.Roots[0], MerkleHash.LeafHash([]));
        Assert.Equal(Rfc6962Vectors.H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"), MerkleHash.LeafHash([0x00]));
        Assert.Equal(Rfc6962Vectors.Roots[1], MerkleHash.NodeHash(MerkleHash.LeafHash([]), MerkleHash.LeafHash([0x00])));
    }

    [Fact]
    public void Span_overloads_write_the_same_hashes_and_allow_overlap()
    {
        var left = MerkleHash.LeafHash([1, 2, 3]);
        var right = MerkleHash.LeafHash([4]);
        var expected = MerkleHash.NodeHash(left, right);

        var destination = new byte[MerkleHash.Size];
        MerkleHash.NodeHash(left, right, destination);
        Assert.Equal(expected, destination);

        // The destination may be one of the children.
        MerkleHash.NodeHash(left, right, left);
        Assert.Equal(expected, left);

        var large = new byte[5000];
        new Random(7).NextBytes(large);
        var leaf = new byte[MerkleHash.Size];
        MerkleHash.LeafHash(large, leaf);
        Assert.Equal(ReferenceMerkle.Leaf(large), leaf);
    }

    [Fact]
    public void Node_hash_rejects_children_that_are_not_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => MerkleHash.NodeHash(new byte[31], new byte[32]));
        Assert.Throws<ArgumentException>(() => MerkleHash.NodeHash(new byte[32], new byte[32], new byte[16]));
    }

    [Fact]
    public void Roots_of_the_rfc6962_test_tree_match_for_every_size()
    {
        var leaves = Rfc6962Vectors.LeafHashes;
        for (var size = 1; size <= 8; size++)
        {
            Assert.Equal(Rfc6962Vectors.Roots[size - 1], MerkleHash.ComputeRoot(leaves[..size]));
        }
    }

    [Fact]
    public void Compute_root_matches_the_rfc_recursion_for_random_sizes()
    {
        var random = new Random(6962);
        var leaves = new List<byte[]>();
        for (var size = 0; size <= 600; size++)
        {
            Assert.Equal(ReferenceMerkle.Mth(leaves, 0, size), MerkleHash.ComputeRoot(leaves));
            var entry = new byte[random.Next(0, 20)];
            random.NextBytes(entry);
            leaves.Add(ReferenceMerkle.Leaf(entry));
        }
    }
}
