using System.Text.Json.Nodes;

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

    /// <summary>Applies a bare Proposal (RFC 9420 §12.1) of type add, update or remove to the tree, as the sender's proposal.</summary>
    public static void Apply(MlsPublicTree tree, byte[] bytes, uint sender)
    {
        Assert.True(MlsProposal.TryDecode(bytes, out var proposal, out var error), error.Message);
        switch (proposal.Type)
        {
            case MlsProposalType.Add:
                tree.AddLeaf(proposal.Add!.LeafNode);
                break;
            case MlsProposalType.Update:
                tree.UpdateLeaf(sender, proposal.Update!);
                break;
            case MlsProposalType.Remove:
                tree.RemoveLeaf(proposal.Removed!.Value);
                break;
            default:
                Assert.Fail($"proposal type {proposal.Type} is not a tree operation");
                break;
        }
    }
}
