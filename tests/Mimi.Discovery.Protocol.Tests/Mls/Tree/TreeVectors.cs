using System.Text.Json.Nodes;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls.Tree;

/// <summary>Reading the trees and proposals of the MLS interop vectors.</summary>
internal static class TreeVectors
{
    /// <summary>The node vector's contents of a vector field holding <c>ratchet_tree</c> extension data.</summary>
    public static byte[] Contents(JsonObject entry, string field)
    {
        Assert.True(MlsRatchetTree.TryReadExtensionData(MlsVectors.Hex(entry, field), out var contents, out var error), error.Message);
        return contents.ToArray();
    }

    public static MlsPublicTree Tree(JsonObject entry, string field)
    {
        Assert.True(MlsPublicTree.TryDecode(Contents(entry, field), out var tree, out var error), error.Message);
        return tree;
    }

    public static MlsCipherSuite Suite(JsonObject entry) => (MlsCipherSuite)(ushort)entry["cipher_suite"]!;

    /// <summary>
    /// Applies a bare Proposal (RFC 9420 §12.1) of type add, update or remove to the tree, as the sender's proposal.
    /// </summary>
    public static void Apply(MlsPublicTree tree, byte[] proposal, uint sender)
    {
        var reader = new TlsReader(proposal);
        Assert.True(reader.TryReadUInt16("proposal_type", out var type));
        switch (type)
        {
            case 1:
                Assert.True(reader.TryReadStruct<MlsKeyPackage>("add", MlsKeyPackage.TryRead, out var keyPackage), reader.Error.Message);
                Assert.True(reader.TryFinish("proposal"), reader.Error.Message);
                tree.AddLeaf(keyPackage.LeafNode);
                break;
            case 2:
                Assert.True(reader.TryReadStruct<MlsLeafNode>("update", MlsLeafNode.TryRead, out var leaf), reader.Error.Message);
                Assert.True(reader.TryFinish("proposal"), reader.Error.Message);
                tree.UpdateLeaf(sender, leaf);
                break;
            case 3:
                Assert.True(reader.TryReadUInt32("removed", out var removed));
                Assert.True(reader.TryFinish("proposal"), reader.Error.Message);
                tree.RemoveLeaf(removed);
                break;
            default:
                Assert.Fail($"proposal type {type} is not a tree operation");
                break;
        }
    }
}
