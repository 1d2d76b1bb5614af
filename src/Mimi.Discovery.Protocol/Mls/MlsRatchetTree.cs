using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The members of an RFC 9420 ratchet tree (§12.4.3.3, the <c>ratchet_tree</c> extension's <c>optional&lt;Node&gt;</c>
/// vector): what a hub reads to know the roster a commit leaves behind. Leaves are at even node indexes; parent
/// nodes are framed and skipped. Nothing is verified (the hub is not a member and cannot check the tree hash).
/// </summary>
public sealed class MlsRatchetTree
{
    private MlsRatchetTree(IReadOnlyList<MlsTreeLeaf> leaves) => Leaves = leaves;

    /// <summary>The non-blank leaves, by leaf index.</summary>
    public IReadOnlyList<MlsTreeLeaf> Leaves { get; }

    /// <summary>The <c>ratchet_tree</c> extension data (the node vector with its varint length), as MLS clients load it, of the vector's contents.</summary>
    public static byte[] ExtensionData(ReadOnlySpan<byte> contents)
    {
        using var w = new TlsWriter(contents.Length + 4);
        w.WriteOpaque(contents, TlsLengthPrefix.Varint);
        return w.ToArray();
    }

    /// <summary>The vector's contents (the nodes) of <c>ratchet_tree</c> extension data, which must span the whole input.</summary>
    public static bool TryReadExtensionData(ReadOnlySpan<byte> extensionData, out ReadOnlySpan<byte> contents, out TlsError error)
    {
        var reader = new TlsReader(extensionData);
        if (reader.TryReadOpaque("ratchet_tree", TlsLengthPrefix.Varint, out contents) && reader.TryFinish("ratchet_tree"))
        {
            error = default;
            return true;
        }

        error = reader.Error;
        return false;
    }

    /// <summary>Decodes the vector's contents (the nodes without the vector's length prefix), which must span the whole input.</summary>
    public static bool TryDecodeContents(ReadOnlySpan<byte> contents, [NotNullWhen(true)] out MlsRatchetTree? tree, out TlsError error)
    {
        tree = null;
        var reader = new TlsReader(contents);
        var leaves = new List<MlsTreeLeaf>();
        for (var node = 0u; reader.Remaining > 0; node++)
        {
            if (!reader.TryReadPresence("ratchet_tree.node", out var present))
            {
                error = reader.Error;
                return false;
            }

            if (!present)
            {
                continue;
            }

            if (!reader.TryReadUInt8("node_type", out var type))
            {
                error = reader.Error;
                return false;
            }

            var read = (type, node % 2) switch
            {
                (1, 0) => reader.TryReadStruct<MlsLeafNode>("leaf_node", MlsLeafNode.TryRead, out var leaf) && Add(leaves, node / 2, leaf),
                (2, 1) => reader.TrySkipOpaque("parent.encryption_key", TlsLengthPrefix.Varint)
                    && reader.TrySkipOpaque("parent.parent_hash", TlsLengthPrefix.Varint)
                    && reader.TrySkipOpaque("parent.unmerged_leaves", TlsLengthPrefix.Varint),
                _ => reader.Fail(TlsErrorKind.UnknownEnumValue, "node_type", $"node {node} has node type {type}, not a {(node % 2 == 0 ? "leaf" : "parent")}"),
            };
            if (!read)
            {
                error = reader.Error;
                return false;
            }
        }

        error = default;
        tree = new MlsRatchetTree(leaves);
        return true;
    }

    private static bool Add(List<MlsTreeLeaf> leaves, uint index, MlsLeafNode node)
    {
        leaves.Add(new MlsTreeLeaf(index, node));
        return true;
    }
}
