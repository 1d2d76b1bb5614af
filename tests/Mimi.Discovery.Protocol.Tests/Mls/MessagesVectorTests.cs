using System.Text.Json.Nodes;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>
/// The framing of every structure of the interop vectors' messages.json that we decode: each decodes and, rebuilt from
/// its decoded fields with our writers, encodes to the same bytes.
/// </summary>
public class MessagesVectorTests
{
    private static readonly (string Field, MlsProposalType Type)[] ProposalFields =
    [
        ("add_proposal", MlsProposalType.Add),
        ("update_proposal", MlsProposalType.Update),
        ("remove_proposal", MlsProposalType.Remove),
        ("pre_shared_key_proposal", MlsProposalType.PreSharedKey),
        ("re_init_proposal", MlsProposalType.ReInit),
        ("external_init_proposal", MlsProposalType.ExternalInit),
        ("group_context_extensions_proposal", MlsProposalType.GroupContextExtensions),
    ];

    [MlsVectorFact]
    public void Welcome_GroupInfo_and_KeyPackage_messages_decode_and_reencode()
    {
        foreach (var entry in MlsVectors.Load("messages"))
        {
            var welcome = Decode(entry, "mls_welcome");
            Assert.Equal(MlsWireFormat.Welcome, welcome.WireFormat);
            Assert.Equal(MlsWelcome.TryDecode(welcome.Welcome!.Encoded.Span, out var bare, out _) ? bare : null, welcome.Welcome);
            Assert.Equal(MlsVectors.Hex(entry, "mls_welcome"), MlsMessage.Frame(MlsWireFormat.Welcome, welcome.Welcome.Encoded.Span));

            var bytes = MlsVectors.Hex(entry, "mls_group_info");
            var info = Decode(entry, "mls_group_info").GroupInfo!;
            Assert.Equal(info.Context, MlsGroupContext.TryDecode(info.Context.Encode(), out var context, out _) ? context : null);
            var rebuilt = MlsGroupInfo.Create(info.Context, info.Extensions, info.ConfirmationTag, info.Signer, info.Signature);
            Assert.Equal(bytes, rebuilt.ToMessage());

            var keyPackage = Decode(entry, "mls_key_package");
            Assert.Equal(MlsVectors.Hex(entry, "mls_key_package"), MlsMessage.Frame(MlsWireFormat.KeyPackage, keyPackage.KeyPackage!.Encoded.Span));
        }
    }

    [MlsVectorFact]
    public void Ratchet_trees_decode_and_reencode()
    {
        foreach (var entry in MlsVectors.Load("messages"))
        {
            var bytes = MlsVectors.Hex(entry, "ratchet_tree");
            Assert.True(MlsRatchetTree.TryReadExtensionData(bytes, out var contents, out var error), error.Message);
            Assert.True(MlsRatchetTree.TryDecodeContents(contents, out var tree, out error), error.Message);
            Assert.NotEmpty(tree.Leaves);
            Assert.Equal(bytes, MlsRatchetTree.ExtensionData(contents));
        }
    }

    [MlsVectorFact]
    public void The_seven_proposal_kinds_decode_and_rebuild_from_their_fields()
    {
        foreach (var entry in MlsVectors.Load("messages"))
        {
            foreach (var (field, type) in ProposalFields)
            {
                var body = MlsVectors.Hex(entry, field);
                Assert.True(MlsProposal.TryDecodeBody(type, body, out var proposal, out var error), $"{field}: {error.Message}");
                Assert.Equal(type, proposal.Type);
                Assert.Equal(body, proposal.Body.ToArray());
                Assert.Equal(proposal, Rebuild(proposal));
            }
        }
    }

    [MlsVectorFact]
    public void Commits_decode_and_reencode_from_their_fields()
    {
        foreach (var entry in MlsVectors.Load("messages"))
        {
            var bytes = MlsVectors.Hex(entry, "commit");
            Assert.True(MlsCommit.TryDecode(bytes, out var commit, out var error), error.Message);
            Assert.Equal(bytes, commit.Encode());
            Assert.Equal(bytes, Rebuild(commit).Encode());
        }
    }

    [MlsVectorFact]
    public void Public_messages_of_each_content_type_decode_and_rebuild()
    {
        var seen = new HashSet<MlsContentType>();
        foreach (var entry in MlsVectors.Load("messages"))
        {
            foreach (var (field, type) in new[]
            {
                ("public_message_application", MlsContentType.Application),
                ("public_message_proposal", MlsContentType.Proposal),
                ("public_message_commit", MlsContentType.Commit),
            })
            {
                var message = Decode(entry, field);
                var pm = message.PublicMessage!;
                var content = pm.Content;
                Assert.Equal(type, content.ContentType);
                Assert.Equal((content.GroupId, content.Epoch, content.ContentType), (message.GroupId, message.Epoch!.Value, message.ContentType!.Value));
                Assert.Equal(content.Sender.Type, message.SenderType);
                Assert.Equal(type == MlsContentType.Commit, pm.ConfirmationTag.HasValue);
                Assert.Equal(content.Sender.Type == MlsSenderType.Member, pm.MembershipTag.HasValue);
                Assert.Equal(content.Commit?.Path?.LeafNode, message.CommitPathLeaf);
                Assert.Equal(message.Encoded.Span[2..^(pm.MembershipTag is { } tag ? tag.Length + 1 : 0)].ToArray(), pm.AuthenticatedContent.ToArray());

                var rebuiltContent = content.ContentType switch
                {
                    MlsContentType.Application => MlsFramedContent.ForApplication(content.GroupId, content.Epoch, content.Sender, content.AuthenticatedData, content.ApplicationData),
                    MlsContentType.Proposal => MlsFramedContent.ForProposal(content.GroupId, content.Epoch, content.Sender, content.AuthenticatedData, Rebuild(content.Proposal!)),
                    _ => MlsFramedContent.ForCommit(content.GroupId, content.Epoch, content.Sender, content.AuthenticatedData, Rebuild(content.Commit!)),
                };
                Assert.Equal(content.Encode(), rebuiltContent.Encode());
                var rebuilt = MlsPublicMessage.Create(rebuiltContent, pm.Signature, pm.ConfirmationTag, pm.MembershipTag).ToMessage();
                Assert.Equal(MlsVectors.Hex(entry, field), rebuilt.Encoded.ToArray());
                seen.Add(type);
            }

            var priv = Decode(entry, "private_message");
            Assert.Equal(MlsWireFormat.PrivateMessage, priv.WireFormat);
            Assert.Null(priv.PublicMessage);
            Assert.NotNull(priv.ContentType);
        }

        Assert.Equal(3, seen.Count);
    }

    private static MlsMessage Decode(JsonObject entry, string field)
    {
        var bytes = MlsVectors.Hex(entry, field);
        Assert.True(MlsMessage.TryDecode(bytes, out var message, out var error), $"{field}: {error.Message}");
        Assert.Equal(bytes, message.Encoded.ToArray());
        return message;
    }

    private static MlsProposal Rebuild(MlsProposal p) => p.Type switch
    {
        MlsProposalType.Add => MlsProposal.ForAdd(p.Add!),
        MlsProposalType.Update => MlsProposal.ForUpdate(p.Update!),
        MlsProposalType.Remove => MlsProposal.ForRemove(p.Removed!.Value),
        MlsProposalType.ExternalInit => MlsProposal.ForExternalInit(p.ExternalInitKemOutput),
        MlsProposalType.GroupContextExtensions => MlsProposal.ForGroupContextExtensions(p.GroupContextExtensions),
        _ => MlsProposal.FromBody(p.Type, p.Body.Span),
    };

    private static MlsCommit Rebuild(MlsCommit commit) => new(
        ValueArray.From(commit.Proposals.Select(p => p.Proposal is { } inline ? MlsProposalOrRef.Inline(Rebuild(inline)) : MlsProposalOrRef.ByReference(p.Reference!.Value))),
        commit.Path is { } path ? new MlsUpdatePath(path.LeafNode, ValueArray.From(path.Nodes.Select(n => new MlsUpdatePathNode(n.EncryptionKey, n.EncryptedPathSecret)))) : null);
}
