namespace Mimi.Discovery.Protocol.Tests.Mls.Tree;

public class TreeValidationVectorTests
{
    [MlsVectorFact]
    public void Every_tree_decodes_re_encodes_and_has_the_published_hashes_and_resolutions()
    {
        var entries = MlsVectors.Load("tree-validation");
        Assert.NotEmpty(entries);
        var suites = new HashSet<MlsCipherSuite>();
        foreach (var entry in entries)
        {
            var suite = TreeVectors.Suite(entry);
            suites.Add(suite);
            var contents = TreeVectors.Contents(entry, "tree");
            Assert.True(MlsPublicTree.TryDecode(contents, out var tree, out var error), error.Message);
            Assert.Equal(contents, tree.EncodeContents());

            var hashes = entry["tree_hashes"]!.AsArray();
            var resolutions = entry["resolutions"]!.AsArray();
            Assert.Equal((uint)hashes.Count, MlsTreeMath.NodeWidth(tree.LeafCount));
            for (var node = 0u; node < hashes.Count; node++)
            {
                Assert.Equal((string)hashes[(int)node]!, tree.TreeHash(suite, node).ToHex());
                Assert.Equal(resolutions[(int)node]!.AsArray().Select(x => (uint)x!), tree.Resolution(node));
            }

            Assert.Equal((string)hashes[(int)MlsTreeMath.Root(tree.LeafCount)]!, tree.TreeHash(suite).ToHex());
        }

        Assert.Equal(7, suites.Count);
    }

    [MlsVectorFact]
    public void Every_tree_is_parent_hash_valid_and_every_leaf_signature_verifies_with_the_group_id()
    {
        var unmerged = 0;
        foreach (var entry in MlsVectors.Load("tree-validation"))
        {
            var suite = TreeVectors.Suite(entry);
            var tree = TreeVectors.Tree(entry, "tree");
            Assert.True(tree.TryVerifyParentHashes(suite, out var detail), detail);
            var groupId = MlsVectors.Hex(entry, "group_id");
            foreach (var leaf in tree.Leaves)
            {
                Assert.Equal(MlsSignatureCheck.Valid, MlsLeafNodeRules.VerifySignature(suite, leaf.Node, groupId, leaf.LeafIndex));
            }

            for (var node = 1u; node < MlsTreeMath.NodeWidth(tree.LeafCount); node += 2)
            {
                unmerged += tree.ParentAt(node)?.UnmergedLeaves.Count ?? 0;
            }
        }

        // The original sibling hashes that leave unmerged leaves out are exercised, not just the plain ones.
        Assert.True(unmerged > 0);
    }

    [MlsVectorFact]
    public void A_changed_parent_hash_anywhere_fails_the_check_and_names_the_node()
    {
        var checkedTrees = 0;
        foreach (var entry in MlsVectors.Load("tree-validation"))
        {
            var suite = TreeVectors.Suite(entry);
            var contents = TreeVectors.Contents(entry, "tree");
            var tree = TreeVectors.Tree(entry, "tree");
            for (var node = 1u; node < MlsTreeMath.NodeWidth(tree.LeafCount); node += 2)
            {
                if (tree.ParentAt(node) is not { ParentHash.Length: > 0 } parent)
                {
                    continue;
                }

                // Find the parent hash in the encoding and flip its last byte.
                var at = contents.AsSpan().IndexOf(parent.ParentHash.Span) + parent.ParentHash.Length - 1;
                var forged = (byte[])contents.Clone();
                forged[at] ^= 1;
                Assert.True(MlsPublicTree.TryDecode(forged, out var bad, out _));
                Assert.False(bad.TryVerifyParentHashes(suite, out var detail));
                Assert.Contains("parent-hash valid", detail, StringComparison.Ordinal);
                checkedTrees++;
                break;
            }
        }

        Assert.True(checkedTrees > 50);
    }
}
