using FsCheck.Xunit;

namespace Mimi.Discovery.Protocol.Tests.Mls.Tree;

public class MlsPublicTreeFuzzTests
{
    [Property(MaxTest = 3000)]
    public void Random_bytes_never_throw(byte[] bytes) => Exercise(bytes);

    [Property(MaxTest = 2000)]
    public void Random_nodes_behind_a_valid_leaf_never_throw(byte[] tail, byte type)
    {
        // A present node of either type first, so the fuzzing reaches the node decoders and the checks after them.
        Exercise([1, (byte)(1 + (type % 2)), .. tail]);
        Exercise([.. LeafNodes.Contents(LeafNodes.Build()), 1, 2, .. tail]);
    }

    [MlsVectorFact]
    public void Mutated_vector_trees_never_throw_and_what_decodes_re_encodes_to_the_same_bytes()
    {
        var random = new Random(1420);
        var trees = MlsVectors.Load("tree-validation").Concat(MlsVectors.Load("treekem"))
            .Select(e => TreeVectors.Contents(e, e.ContainsKey("tree") ? "tree" : "ratchet_tree"))
            .ToList();
        var decoded = 0;
        for (var round = 0; round < 4000; round++)
        {
            var bytes = trees[random.Next(trees.Count)];
            var mutated = (random.Next(4)) switch
            {
                0 => Flip(bytes, random),
                1 => bytes[..random.Next(bytes.Length)],
                2 => [.. bytes[..(random.Next(bytes.Length))], (byte)random.Next(256), .. bytes[random.Next(bytes.Length)..]],
                _ => Flip(Flip(bytes, random), random),
            };
            decoded += Exercise(mutated) ? 1 : 0;
        }

        // Flipping a byte of a key or signature still decodes: those trees went through every check.
        Assert.True(decoded > 500, $"{decoded} decoded");
    }

    [MlsVectorFact]
    public void Every_vector_tree_re_encodes_to_its_own_bytes()
    {
        foreach (var entry in MlsVectors.Load("treekem").Concat(MlsVectors.Load("tree-operations")))
        {
            foreach (var field in new[] { "ratchet_tree", "tree_before", "tree_after" }.Where(entry.ContainsKey))
            {
                var contents = TreeVectors.Contents(entry, field);
                Assert.True(MlsPublicTree.TryDecode(contents, out var tree, out var error), error.Message);
                Assert.Equal(contents, tree.EncodeContents());
            }
        }
    }

    [MlsVectorFact]
    public void Random_adds_removes_and_updates_keep_the_cached_hash_right_and_change_it_every_time()
    {
        var random = new Random(9420);
        var entries = MlsVectors.Load("tree-validation").Where(e => TreeVectors.Suite(e) == LeafNodes.Suite).ToList();
        var spare = entries.SelectMany(e => TreeVectors.Tree(e, "tree").Leaves.Select(l => l.Node)).ToList();
        foreach (var entry in entries)
        {
            var tree = TreeVectors.Tree(entry, "tree");
            var hash = tree.TreeHash(LeafNodes.Suite);
            for (var step = 0; step < 40; step++)
            {
                var members = tree.Leaves;
                var op = members.Count < 2 ? 0 : random.Next(3);
                var leaf = spare[random.Next(spare.Count)];
                var target = members[random.Next(members.Count)];
                if (op == 0)
                {
                    tree.AddLeaf(leaf);
                }
                else if (op == 1)
                {
                    tree.RemoveLeaf(target.LeafIndex);
                }
                else if (!leaf.Equals(target.Node))
                {
                    tree.UpdateLeaf(target.LeafIndex, leaf);
                }
                else
                {
                    continue;
                }

                var next = tree.TreeHash(LeafNodes.Suite);
                Assert.NotEqual(hash, next);
                Assert.True(MlsPublicTree.TryDecode(tree.EncodeContents(), out var fresh, out var error), error.Message);
                Assert.Equal(fresh.TreeHash(LeafNodes.Suite), next);
                Assert.Equal(tree.LeafCount, fresh.LeafCount);
                hash = next;
            }
        }
    }

    [Fact]
    public void Removing_and_re_adding_a_member_of_a_full_tree_restores_its_index_and_the_leaf_count()
    {
        var random = new Random(7);
        for (var size = 1; size <= 33; size++)
        {
            var tree = MlsPublicTree.Create(LeafNodes.Build());
            for (var i = 1; i < size; i++)
            {
                tree.AddLeaf(LeafNodes.Build());
            }

            var count = tree.LeafCount;
            var hash = tree.TreeHash(LeafNodes.Suite);
            var removed = (uint)random.Next(size);
            var leaf = tree.LeafAt(removed)!;
            if (tree.Leaves.Count < 2)
            {
                continue;
            }

            tree.RemoveLeaf(removed);
            if (tree.FirstBlankLeaf() == removed)
            {
                Assert.Equal(removed, tree.AddLeaf(leaf));
                Assert.Equal(count, tree.LeafCount);

                // The leaf is back, but the parents above it stay blank, as they were: the same tree.
                Assert.Equal(hash, tree.TreeHash(LeafNodes.Suite));
            }
        }
    }

    private static bool Exercise(byte[] bytes)
    {
        if (!MlsPublicTree.TryDecode(bytes, out var tree, out var error))
        {
            Assert.NotEqual(Mimi.Discovery.Protocol.Tls.TlsErrorKind.None, error.Kind);
            return false;
        }

        Assert.Equal(bytes, tree.EncodeContents());
        tree.TreeHash(LeafNodes.Suite);
        tree.TryVerifyParentHashes(LeafNodes.Suite, out _);
        for (var node = 0u; node < MlsTreeMath.NodeWidth(tree.LeafCount); node++)
        {
            tree.Resolution(node);
        }

        foreach (var leaf in tree.Leaves)
        {
            MlsLeafNodeRules.Check(LeafNodes.Suite, tree, leaf.LeafIndex, leaf.Node, [1], leaf.Node.Source, DateTimeOffset.UtcNow);
        }

        return true;
    }

    private static byte[] Flip(byte[] bytes, Random random)
    {
        var copy = (byte[])bytes.Clone();
        if (copy.Length > 0)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }
}
