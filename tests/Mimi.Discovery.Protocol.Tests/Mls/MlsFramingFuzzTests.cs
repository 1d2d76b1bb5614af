using FsCheck;
using FsCheck.Xunit;
using Mimi.Discovery.Protocol.Tests.Support;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>The PublicMessage, Proposal, Commit and GroupInfo decoders never throw on random or mutated input.</summary>
public class MlsFramingFuzzTests
{
    private static readonly byte[][] Seeds = BuildSeeds();

    [Property(MaxTest = 3000)]
    public void Random_bytes_never_throw(byte[] bytes, ushort proposalType)
    {
        MlsPublicMessage.TryDecode(bytes, out _, out _);
        MlsFramedContent.TryDecode(bytes, out _, out _);
        MlsProposal.TryDecode(bytes, out _, out _);
        MlsProposal.TryDecodeBody((MlsProposalType)(proposalType % 12), bytes, out _, out _);
        MlsCommit.TryDecode(bytes, out _, out _);
        MlsGroupInfo.TryDecode(bytes, out _, out _);
        MlsMessage.TryDecode([0, 1, 0, 1, .. bytes], out _, out _);
    }

    [Property(MaxTest = 5000)]
    public void Mutated_messages_never_throw_and_what_decodes_reencodes(int seed, int position, byte value, bool truncate)
    {
        var bytes = (byte[])Seeds[(int)((uint)seed % Seeds.Length)].Clone();
        var at = (int)((uint)position % bytes.Length);
        bytes[at] = value;
        if (truncate)
        {
            bytes = bytes[..at];
        }

        if (MlsMessage.TryDecode(bytes, out var message, out _) && message.PublicMessage is { } pm)
        {
            // Whatever decodes is exactly what was sent: the writers rebuild it byte for byte.
            Assert.Equal(bytes, MlsPublicMessage.Create(pm.Content, pm.Signature, pm.ConfirmationTag, pm.MembershipTag).ToMessage().Encoded.ToArray());
        }

        if (bytes.Length > 4)
        {
            MlsGroupInfo.TryDecode(bytes.AsSpan(4), out _, out _);
            MlsCommit.TryDecode(bytes.AsSpan(4), out _, out _);
        }
    }

    [Fact]
    public void A_proposal_of_unknown_type_is_refused_where_it_sits()
    {
        var bytes = Convert.FromHexString("00ff00");
        Assert.False(MlsProposal.TryDecode(bytes, out _, out var error));
        Assert.Equal(("Proposal.proposal_type", TlsErrorKind.UnknownEnumValue), (error.Field, error.Kind));
        Assert.False(MlsCommit.TryDecode(Convert.FromHexString("0303000000"), out _, out var inCommit));
        Assert.Equal(TlsErrorKind.UnknownEnumValue, inCommit.Kind);
        Assert.StartsWith("Commit.proposals[0]", inCommit.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_refuses_missing_or_misplaced_tags()
    {
        var content = MlsFramedContent.ForProposal(ByteString.CopyFrom([1]), 1, MlsSender.Member(0), default, MlsProposal.ForRemove(1));
        Assert.Throws<ArgumentException>(() => MlsPublicMessage.Create(content, ByteString.CopyFrom([1])));
        Assert.Throws<ArgumentException>(() => MlsPublicMessage.Create(content, ByteString.CopyFrom([1]), ByteString.CopyFrom([2]), ByteString.CopyFrom([3])));
        Assert.NotNull(MlsPublicMessage.Create(content, ByteString.CopyFrom([1]), membershipTag: ByteString.CopyFrom([3])));
    }

    private static byte[][] BuildSeeds()
    {
        var groupId = ByteString.CopyFrom("room"u8);
        var commit = new MlsCommit(
            ValueArray.Create(MlsProposalOrRef.Inline(MlsProposal.ForRemove(2)), MlsProposalOrRef.ByReference(ByteString.CopyFrom(new byte[32]))),
            null);
        var external = MlsFramedContent.ForCommit(groupId, 5, MlsSender.NewMemberCommit, default, new MlsCommit(ValueArray.Create(MlsProposalOrRef.Inline(MlsProposal.ForExternalInit(ByteString.CopyFrom(new byte[32])))), null));
        return
        [
            MlsSamples.PublicMessage([1, 2], 42, MlsContentType.Commit, withPath: true),
            MlsSamples.PublicMessage([1], 1, MlsContentType.Proposal, false),
            MlsSamples.PublicMessage([1], 1, MlsContentType.Application, false),
            MlsPublicMessage.Create(MlsFramedContent.ForCommit(groupId, 3, MlsSender.Member(1), default, commit), ByteString.CopyFrom(new byte[64]), ByteString.CopyFrom(new byte[32]), ByteString.CopyFrom(new byte[32])).ToMessage().Encoded.ToArray(),
            MlsPublicMessage.Create(external, ByteString.CopyFrom(new byte[64]), ByteString.CopyFrom(new byte[32])).ToMessage().Encoded.ToArray(),
            MlsSamples.Wrap(MlsWireFormat.GroupInfo, MlsSamples.GroupInfo(1, [1, 2], 9)),
        ];
    }
}
