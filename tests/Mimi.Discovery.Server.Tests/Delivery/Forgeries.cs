using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>
/// Forged MLS messages built in C# from honest ts-mls ones with the Protocol library's writers, signed by a ts-mls
/// client of the test's choosing (its key never leaves ts-mls: <see cref="MlsPeer.SignWithLabelAsync"/>).
/// </summary>
public static class Forgeries
{
    /// <summary>
    /// The PublicMessage of <paramref name="content"/> signed by <paramref name="signer"/> over FramedContentTBS with
    /// <paramref name="context"/> (RFC 9420 §6.1: version, wire format, content, context), with the tags of <paramref name="honest"/>.
    /// </summary>
    public static async Task<MlsMessage> SignAsync(MlsPeer mls, string signer, MlsFramedContent content, MlsGroupContext context, MlsMessage honest)
    {
        byte[] tbs = [0, 1, 0, (byte)MlsWireFormat.PublicMessage, .. content.Encoded.Span, .. context.Encode()];
        var signature = await mls.SignWithLabelAsync(signer, "FramedContentTBS", tbs);
        var tags = honest.PublicMessage!;
        return MlsPublicMessage.Create(content, ByteString.CopyFrom(signature), tags.ConfirmationTag, tags.MembershipTag).ToMessage();
    }

    /// <summary>An honest commit's content with its commit replaced (same group, epoch, sender, authenticated data).</summary>
    public static MlsFramedContent WithCommit(MlsMessage honest, MlsCommit commit)
    {
        var content = honest.PublicMessage!.Content;
        return MlsFramedContent.ForCommit(content.GroupId, content.Epoch, content.Sender, content.AuthenticatedData, commit);
    }

    /// <summary>An honest commit's content moved to <paramref name="epoch"/>.</summary>
    public static MlsFramedContent AtEpoch(MlsMessage honest, ulong epoch)
    {
        var content = honest.PublicMessage!.Content;
        return MlsFramedContent.ForCommit(content.GroupId, epoch, content.Sender, content.AuthenticatedData, content.Commit!);
    }

    /// <summary>A GroupInfo with another group context, signed by <paramref name="signer"/> (GroupInfoTBS).</summary>
    public static async Task<MlsGroupInfo> GroupInfoAsync(MlsPeer mls, string signer, MlsGroupInfo honest, MlsGroupContext context)
    {
        var unsigned = MlsGroupInfo.Create(context, honest.Extensions, honest.ConfirmationTag, honest.Signer, ByteString.CopyFrom([0]));
        var signature = await mls.SignWithLabelAsync(signer, "GroupInfoTBS", unsigned.SignedContent.ToArray());
        return MlsGroupInfo.Create(context, honest.Extensions, honest.ConfirmationTag, honest.Signer, ByteString.CopyFrom(signature));
    }

    /// <summary>The same bytes with one bit of the byte at <paramref name="index"/> (from the end when negative) flipped.</summary>
    public static byte[] Flip(ReadOnlySpan<byte> bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index < 0 ? copy.Length + index : index] ^= 0x01;
        return copy;
    }

    /// <summary>A commit bundle as the hub takes it, from parts.</summary>
    public static byte[] Update(MlsMessage commit, byte[] welcome, MlsGroupInfo groupInfo, byte[] ratchetTree) =>
        Mimi.Discovery.Client.DeliveryMessages.CommitUpdate(commit.Encoded.ToArray(), welcome, groupInfo.ToMessage(), ratchetTree);
}
