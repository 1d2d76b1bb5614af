using System.Security.Cryptography;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls.Tree;

public class MlsPublicTreeTests
{
    private const MlsCipherSuite Suite = LeafNodes.Suite;

    [Fact]
    public void The_tree_hash_of_a_one_leaf_tree_is_the_hash_of_its_LeafNodeHashInput()
    {
        var leaf = LeafNodes.Build();
        var tree = MlsPublicTree.Create(leaf);

        // TreeHashInput { node_type = leaf; leaf_index = 0; optional<LeafNode> = present }, written out by hand.
        byte[] input = [1, 0, 0, 0, 0, 1, .. leaf.Encoded.Span];
        Assert.Equal(SHA256.HashData(input), tree.TreeHash(Suite).ToArray());
        Assert.Equal(SHA384.HashData(input), tree.TreeHash(MlsCipherSuite.P384Aes256GcmSha384P384).ToArray());
        Assert.Equal(SHA256.HashData(input), tree.TreeHash(Suite).ToArray());
    }

    [Fact]
    public void Adds_fill_the_leftmost_blank_leaf_and_double_a_full_tree()
    {
        var tree = MlsPublicTree.Create(LeafNodes.Build());
        Assert.Equal(1u, tree.AddLeaf(LeafNodes.Build()));
        Assert.Equal(2u, tree.LeafCount);
        Assert.Equal(2u, tree.AddLeaf(LeafNodes.Build()));
        Assert.Equal(4u, tree.LeafCount);
        Assert.Equal(3u, tree.FirstBlankLeaf());

        tree.RemoveLeaf(1);
        Assert.Equal(1u, tree.FirstBlankLeaf());
        Assert.Equal(1u, tree.AddLeaf(LeafNodes.Build()));
        Assert.Equal(3u, tree.FirstBlankLeaf());
        Assert.Equal(3u, tree.AddLeaf(LeafNodes.Build()));
        Assert.Equal(4u, tree.FirstBlankLeaf());
        Assert.Equal([0u, 1u, 2u, 3u], tree.Leaves.Select(l => l.LeafIndex));
    }

    [Fact]
    public void Removing_the_last_leaves_halves_the_tree_and_the_encoding_leaves_out_trailing_blanks()
    {
        var tree = MlsPublicTree.Create(LeafNodes.Build());
        tree.AddLeaf(LeafNodes.Build());
        tree.AddLeaf(LeafNodes.Build());
        Assert.Equal(5, Nodes(tree.EncodeContents()));

        tree.RemoveLeaf(2);
        Assert.Equal(2u, tree.LeafCount);
        tree.RemoveLeaf(1);
        Assert.Equal(1u, tree.LeafCount);
        Assert.Equal(1, Nodes(tree.EncodeContents()));
        Assert.Throws<ArgumentException>(() => tree.RemoveLeaf(1));
    }

    [Fact]
    public void An_add_under_a_non_blank_parent_becomes_its_unmerged_leaf_and_joins_its_resolution()
    {
        var parent = LeafNodes.Parent();
        Assert.True(MlsPublicTree.TryDecode(LeafNodes.Contents(LeafNodes.Build(), parent, null, null, LeafNodes.Build()), out var tree, out var error), error.Message);
        Assert.Equal(4u, tree.LeafCount);
        Assert.Equal([1u], tree.Resolution(1));

        Assert.Equal(1u, tree.AddLeaf(LeafNodes.Build()));
        Assert.Equal([1u], tree.ParentAt(1)!.UnmergedLeaves);
        Assert.Equal([1u, 2u], tree.Resolution(1));
        Assert.Equal([1u, 2u, 4u], tree.Resolution(3));

        // An update blanks the path above the updated leaf.
        var before = tree.TreeHash(Suite);
        tree.UpdateLeaf(0, LeafNodes.Build());
        Assert.Null(tree.ParentAt(1));
        Assert.NotEqual(before, tree.TreeHash(Suite));
    }

    [Fact]
    public void A_clone_changes_independently_and_keeps_the_cached_hashes_right()
    {
        var tree = MlsPublicTree.Create(LeafNodes.Build());
        tree.AddLeaf(LeafNodes.Build());
        var hash = tree.TreeHash(Suite);
        var clone = tree.Clone();
        clone.AddLeaf(LeafNodes.Build());

        Assert.Equal(hash, tree.TreeHash(Suite));
        Assert.Equal(2u, tree.LeafCount);
        Assert.True(MlsPublicTree.TryDecode(clone.EncodeContents(), out var fresh, out _));
        Assert.Equal(fresh.TreeHash(Suite), clone.TreeHash(Suite));
    }

    [Fact]
    public void Decoding_refuses_empty_trees_trailing_blanks_and_nodes_in_the_wrong_place()
    {
        Assert.False(MlsPublicTree.TryDecode([], out _, out var empty));
        Assert.Equal(TlsErrorKind.InvalidValue, empty.Kind);

        Assert.False(MlsPublicTree.TryDecode(LeafNodes.Contents(LeafNodes.Build(), null, null), out _, out var trailing));
        Assert.Contains("last node is blank", trailing.Message, StringComparison.Ordinal);

        Assert.False(MlsPublicTree.TryDecode(LeafNodes.Contents(LeafNodes.Parent()), out _, out var misplaced));
        Assert.Equal((TlsErrorKind.UnknownEnumValue, "ratchet_tree.node_type", 1), (misplaced.Kind, misplaced.Field, misplaced.Offset));

        Assert.False(MlsPublicTree.TryDecode([2], out _, out var presence));
        Assert.Equal(TlsErrorKind.InvalidValue, presence.Kind);
    }

    [Theory]
    [InlineData(new uint[] { 2 }, "not under it")]
    [InlineData(new uint[] { 1 }, "which is blank")]
    [InlineData(new uint[] { 0, 0 }, "twice")]
    public void Unmerged_leaves_must_be_occupied_leaves_under_their_parent_listed_once(uint[] unmerged, string expected)
    {
        Assert.True(MlsPublicTree.TryDecode(LeafNodes.Contents(LeafNodes.Build(), LeafNodes.Parent(unmerged), null, null, LeafNodes.Build()), out var tree, out _));
        Assert.False(tree.TryVerifyParentHashes(Suite, out var detail));
        Assert.Contains(expected, detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unmerged_leaf_must_be_listed_by_every_non_blank_parent_between_it_and_the_listing_one()
    {
        var contents = LeafNodes.Contents(LeafNodes.Build(), LeafNodes.Parent(), LeafNodes.Build(), LeafNodes.Parent(0), LeafNodes.Build());
        Assert.True(MlsPublicTree.TryDecode(contents, out var tree, out _));
        Assert.False(tree.TryVerifyParentHashes(Suite, out var detail));
        Assert.Contains("parent node 1 between them does not", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parent_no_child_vouches_for_is_not_parent_hash_valid()
    {
        Assert.True(MlsPublicTree.TryDecode(LeafNodes.Contents(LeafNodes.Build(), LeafNodes.Parent(), LeafNodes.Build()), out var tree, out _));
        Assert.False(tree.TryVerifyParentHashes(Suite, out var detail));
        Assert.Contains("Parent node 1", detail, StringComparison.Ordinal);
        Assert.True(MlsPublicTree.Create(LeafNodes.Build()).TryVerifyParentHashes(Suite, out detail), detail);
    }

    [Fact]
    public void A_suite_without_a_known_hash_is_a_caller_error()
    {
        var tree = MlsPublicTree.Create(LeafNodes.Build());
        Assert.Throws<NotSupportedException>(() => tree.TreeHash((MlsCipherSuite)0x0A0A));
    }

    private static int Nodes(byte[] contents)
    {
        Assert.True(MlsPublicTree.TryDecode(contents, out var tree, out _));
        var count = 0;
        var reader = new TlsReader(contents);
        while (reader.Remaining > 0)
        {
            Assert.True(reader.TryReadPresence("node", out var present));
            if (present)
            {
                Assert.True(reader.TryReadUInt8("type", out var type));
                Assert.True(type == 1
                    ? reader.TryReadStruct<MlsLeafNode>("leaf", MlsLeafNode.TryRead, out _)
                    : reader.TryReadStruct<MlsParentNode>("parent", MlsParentNode.TryRead, out _));
            }

            count++;
        }

        Assert.True(MlsTreeMath.NodeWidth(tree.LeafCount) >= count);
        return count;
    }
}
