using System.Text.Json.Nodes;

namespace Mimi.Discovery.Protocol.Tests.Mls.Tree;

public class MlsTreeMathTests
{
    [MlsVectorFact]
    public void Every_node_of_the_tree_math_vectors_has_the_published_relatives()
    {
        var entries = MlsVectors.Load("tree-math");
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            var leaves = (uint)entry["n_leaves"]!;
            var nodes = (uint)entry["n_nodes"]!;
            Assert.Equal(nodes, MlsTreeMath.NodeWidth(leaves));
            Assert.Equal((uint)entry["root"]!, MlsTreeMath.Root(leaves));
            for (var node = 0u; node < nodes; node++)
            {
                var at = (int)node;
                Assert.Equal(Expected(entry, "left", at), MlsTreeMath.IsLeaf(node) ? null : MlsTreeMath.Left(node));
                Assert.Equal(Expected(entry, "right", at), MlsTreeMath.IsLeaf(node) ? null : MlsTreeMath.Right(node));
                var isRoot = node == MlsTreeMath.Root(leaves);
                Assert.Equal(Expected(entry, "parent", at), isRoot ? null : MlsTreeMath.Parent(node, leaves));
                Assert.Equal(Expected(entry, "sibling", at), isRoot ? null : MlsTreeMath.Sibling(node, leaves));
            }
        }
    }

    [Fact]
    public void Direct_path_and_copath_of_a_leaf_in_an_eight_leaf_tree()
    {
        // Leaf 2 is node 4: parents 5, 3, 7; siblings 6, 1, 11.
        Assert.Equal([5u, 3u, 7u], MlsTreeMath.DirectPath(4, 8));
        Assert.Equal([6u, 1u, 11u], MlsTreeMath.Copath(4, 8));
        Assert.Empty(MlsTreeMath.DirectPath(7, 8));
        Assert.Empty(MlsTreeMath.Copath(0, 1));
    }

    [Fact]
    public void Leaf_span_covers_the_leaves_under_a_node()
    {
        Assert.Equal((0u, 7u), MlsTreeMath.LeafSpan(7));
        Assert.Equal((4u, 5u), MlsTreeMath.LeafSpan(9));
        Assert.Equal((3u, 3u), MlsTreeMath.LeafSpan(6));
    }

    [Fact]
    public void Relatives_outside_the_tree_are_programming_errors()
    {
        Assert.Throws<ArgumentException>(() => MlsTreeMath.Left(4));
        Assert.Throws<ArgumentException>(() => MlsTreeMath.Parent(3, 2));
        Assert.Throws<ArgumentException>(() => MlsTreeMath.Parent(9, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => MlsTreeMath.Root(0));
    }

    private static uint? Expected(JsonObject entry, string field, int node) => (uint?)entry[field]![node];
}
