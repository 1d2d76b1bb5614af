using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls.Tree;

public class TreeKemVectorTests
{
    [MlsVectorFact]
    public void Each_update_path_merges_to_the_published_tree_hash_with_valid_parent_hashes()
    {
        var merged = 0;
        foreach (var entry in MlsVectors.Load("treekem"))
        {
            var suite = TreeVectors.Suite(entry);
            var before = TreeVectors.Tree(entry, "ratchet_tree");
            Assert.True(before.TryVerifyParentHashes(suite, out var beforeDetail), beforeDetail);
            var groupId = MlsVectors.Hex(entry, "group_id");
            foreach (var update in entry["update_paths"]!.AsArray().Select(x => x!.AsObject()))
            {
                var sender = (uint)update["sender"]!;
                Assert.True(MlsUpdatePath.TryDecode(MlsVectors.Hex(update, "update_path"), out var path, out var error), error.Message);
                Assert.Null(MlsLeafNodeRules.Check(suite, before, sender, path.LeafNode, groupId, MlsLeafNodeSource.Commit, DateTimeOffset.UtcNow));

                var tree = before.Clone();
                Assert.True(tree.TryMergeUpdatePath(suite, sender, path, out var detail), detail);
                Assert.Equal((string)update["tree_hash_after"]!, tree.TreeHash(suite).ToHex());
                Assert.True(tree.TryVerifyParentHashes(suite, out detail), detail);
                Assert.Same(path.LeafNode, tree.LeafAt(sender));
                merged++;
            }
        }

        Assert.True(merged > 300, $"{merged} paths");
    }

    [MlsVectorFact]
    public void A_path_with_one_byte_of_a_node_key_changed_fails_the_leafs_parent_hash_and_leaves_the_tree_as_it_was()
    {
        var refused = 0;
        foreach (var entry in MlsVectors.Load("treekem"))
        {
            var suite = TreeVectors.Suite(entry);
            var tree = TreeVectors.Tree(entry, "ratchet_tree");
            var hash = tree.TreeHash(suite);
            var contents = tree.EncodeContents();
            foreach (var update in entry["update_paths"]!.AsArray().Select(x => x!.AsObject()))
            {
                Assert.True(MlsUpdatePath.TryDecode(MlsVectors.Hex(update, "update_path"), out var path, out _));
                for (var i = 0; i < path.Nodes.Count; i++)
                {
                    var key = path.Nodes[i].EncryptionKey.ToArray();
                    key[^1] ^= 0x01;
                    var nodes = path.Nodes.Items.SetItem(i, path.Nodes[i] with { EncryptionKey = ByteString.CopyFrom(key) });
                    var forged = path with { Nodes = new ValueArray<MlsUpdatePathNode>(nodes) };

                    Assert.False(tree.TryMergeUpdatePath(suite, (uint)update["sender"]!, forged, out var detail));
                    Assert.Contains("parent_hash", detail, StringComparison.Ordinal);
                    Assert.Equal(hash, tree.TreeHash(suite));
                    Assert.Equal(contents, tree.EncodeContents());
                    refused++;
                }
            }
        }

        Assert.True(refused > 300, $"{refused} forged paths");
    }

    [MlsVectorFact]
    public void A_path_that_does_not_fit_the_filtered_direct_path_or_its_resolutions_is_refused()
    {
        var entry = MlsVectors.Load("treekem").First(e => e["update_paths"]!.AsArray().Any(u => Path(u!.AsObject()).Nodes.Count > 1));
        var suite = TreeVectors.Suite(entry);
        var tree = TreeVectors.Tree(entry, "ratchet_tree");
        var update = entry["update_paths"]!.AsArray().Select(u => u!.AsObject()).First(u => Path(u).Nodes.Count > 1);
        var sender = (uint)update["sender"]!;
        var path = Path(update);

        var shorter = path with { Nodes = new ValueArray<MlsUpdatePathNode>(path.Nodes.Items.RemoveAt(0)) };
        Assert.False(tree.TryMergeUpdatePath(suite, sender, shorter, out var detail));
        Assert.Contains("filtered direct path", detail, StringComparison.Ordinal);

        var node = path.Nodes[0];
        var fewer = node with { EncryptedPathSecret = new ValueArray<HpkeCiphertext>(node.EncryptedPathSecret.Items.RemoveAt(0)) };
        var missingSecret = path with { Nodes = new ValueArray<MlsUpdatePathNode>(path.Nodes.Items.SetItem(0, fewer)) };
        Assert.False(tree.TryMergeUpdatePath(suite, sender, missingSecret, out detail));
        Assert.Contains("encrypted path secrets", detail, StringComparison.Ordinal);

        // The same count is right when the missing recipient is a leaf the commit added.
        var filtered = tree.FilteredDirectPath(sender);
        var copathLeaves = tree.Resolution(filtered[0].Copath).Where(MlsTreeMath.IsLeaf).Select(x => x / 2).ToList();
        if (copathLeaves.Count > 0)
        {
            Assert.True(tree.Clone().TryMergeUpdatePath(suite, sender, missingSecret, [copathLeaves[0]], out detail), detail);
        }

        var reused = path with { Nodes = new ValueArray<MlsUpdatePathNode>(path.Nodes.Items.SetItem(1, path.Nodes[1] with { EncryptionKey = path.Nodes[0].EncryptionKey })) };
        Assert.False(tree.TryMergeUpdatePath(suite, sender, reused, out detail));
        Assert.Contains("twice", detail, StringComparison.Ordinal);

        var other = tree.Leaves.First(l => l.LeafIndex != sender);
        var stolen = path with { Nodes = new ValueArray<MlsUpdatePathNode>(path.Nodes.Items.SetItem(0, node with { EncryptionKey = other.Node.EncryptionKey })) };
        Assert.False(tree.TryMergeUpdatePath(suite, sender, stolen, out detail));
        Assert.Contains($"leaf {other.LeafIndex}", detail, StringComparison.Ordinal);

        Assert.False(tree.TryMergeUpdatePath(suite, tree.LeafCount, path, out detail));
        Assert.Contains("outside the tree", detail, StringComparison.Ordinal);
    }

    private static MlsUpdatePath Path(System.Text.Json.Nodes.JsonObject update)
    {
        Assert.True(MlsUpdatePath.TryDecode(MlsVectors.Hex(update, "update_path"), out var path, out _));
        return path;
    }
}
