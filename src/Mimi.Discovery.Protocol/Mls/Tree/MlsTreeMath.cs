using System.Numerics;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// Node-index arithmetic of the RFC 9420 array-represented tree (§4.1, Appendix C): leaves at even node indexes
/// (leaf <c>i</c> is node <c>2i</c>), parents at odd ones, a node's level is its number of trailing one bits. Trees
/// are complete: the leaf count is a power of two. Arguments outside the tree are programming errors and throw.
/// </summary>
public static class MlsTreeMath
{
    /// <summary>The level of a node: 0 for leaves, the height of its subtree for parents.</summary>
    public static int Level(uint node) => BitOperations.TrailingZeroCount(~node);

    /// <summary>Whether the node is a leaf (an even index).</summary>
    public static bool IsLeaf(uint node) => (node & 1) == 0;

    /// <summary>The number of nodes of a tree with <paramref name="leafCount"/> leaves: <c>2n - 1</c> (0 for none).</summary>
    public static uint NodeWidth(uint leafCount) => leafCount == 0 ? 0 : (2 * (leafCount - 1)) + 1;

    /// <summary>The root of a tree with <paramref name="leafCount"/> leaves.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The tree has no leaves.</exception>
    public static uint Root(uint leafCount)
    {
        ArgumentOutOfRangeException.ThrowIfZero(leafCount);
        var width = NodeWidth(leafCount);
        return (1u << BitOperations.Log2(width)) - 1;
    }

    /// <summary>The left child of a parent node.</summary>
    /// <exception cref="ArgumentException">The node is a leaf.</exception>
    public static uint Left(uint node)
    {
        var level = ParentLevel(node);
        return node ^ (1u << (level - 1));
    }

    /// <summary>The right child of a parent node.</summary>
    /// <exception cref="ArgumentException">The node is a leaf.</exception>
    public static uint Right(uint node)
    {
        var level = ParentLevel(node);
        return node ^ (3u << (level - 1));
    }

    /// <summary>The parent of a node in a tree with <paramref name="leafCount"/> leaves.</summary>
    /// <exception cref="ArgumentException">The node is the root or outside the tree.</exception>
    public static uint Parent(uint node, uint leafCount)
    {
        if (node == Root(leafCount) || node >= NodeWidth(leafCount))
        {
            throw new ArgumentException($"Node {node} has no parent in a tree of {leafCount} leaves.", nameof(node));
        }

        var level = Level(node);
        var b = (node >> (level + 1)) & 1;
        return (node | (1u << level)) ^ (b << (level + 1));
    }

    /// <summary>The other child of a node's parent.</summary>
    /// <exception cref="ArgumentException">The node is the root or outside the tree.</exception>
    public static uint Sibling(uint node, uint leafCount)
    {
        var parent = Parent(node, leafCount);
        return node < parent ? Right(parent) : Left(parent);
    }

    /// <summary>The nodes from a node's parent up to the root, lowest first (empty for the root).</summary>
    /// <exception cref="ArgumentException">The node is outside the tree.</exception>
    public static uint[] DirectPath(uint node, uint leafCount)
    {
        CheckInTree(node, leafCount);
        var root = Root(leafCount);
        var path = new uint[Level(root) - Level(node)];
        for (var i = 0; node != root; i++)
        {
            node = Parent(node, leafCount);
            path[i] = node;
        }

        return path;
    }

    /// <summary>The siblings of the node and of each node of its direct path below the root, lowest first.</summary>
    /// <exception cref="ArgumentException">The node is outside the tree.</exception>
    public static uint[] Copath(uint node, uint leafCount)
    {
        CheckInTree(node, leafCount);
        var root = Root(leafCount);
        var copath = new uint[Level(root) - Level(node)];
        for (var i = 0; node != root; i++)
        {
            copath[i] = Sibling(node, leafCount);
            node = Parent(node, leafCount);
        }

        return copath;
    }

    /// <summary>The first and last leaf index under a node (the node's own index for a leaf).</summary>
    public static (uint First, uint Last) LeafSpan(uint node)
    {
        var half = (1u << Level(node)) - 1;
        return ((node - half) / 2, (node + half) / 2);
    }

    private static int ParentLevel(uint node)
    {
        var level = Level(node);
        return level == 0 ? throw new ArgumentException($"Node {node} is a leaf and has no children.", nameof(node)) : level;
    }

    private static void CheckInTree(uint node, uint leafCount)
    {
        if (node >= NodeWidth(leafCount))
        {
            throw new ArgumentException($"Node {node} is outside a tree of {leafCount} leaves.", nameof(node));
        }
    }
}
