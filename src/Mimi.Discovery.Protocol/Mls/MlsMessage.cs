using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// An MLSMessage (RFC 9420 §6), carried as its exact encoding. Decoding exposes what a delivery service routes on (the
/// wire format, the group, epoch and content type of a framed message), a PublicMessage fully decoded (its proposal
/// or commit, for a server to check), and the Welcome, GroupInfo or KeyPackage it carries. Nothing is decrypted or
/// verified here. Equality is by encoding.
/// </summary>
public sealed class MlsMessage : IEquatable<MlsMessage>
{
    private MlsMessage()
    {
    }

    /// <summary>The encoded MLSMessage.</summary>
    public ByteString Encoded { get; private init; }

    /// <summary>The wire format.</summary>
    public MlsWireFormat WireFormat { get; private init; }

    /// <summary>The group id of a PublicMessage or PrivateMessage (of the GroupInfo for a group_info message).</summary>
    public ByteString GroupId { get; private init; }

    /// <summary>The epoch of a PublicMessage, PrivateMessage or GroupInfo.</summary>
    public ulong? Epoch { get; private init; }

    /// <summary>The content type of a PublicMessage or PrivateMessage.</summary>
    public MlsContentType? ContentType { get; private init; }

    /// <summary>The sender type of a PublicMessage.</summary>
    public MlsSenderType? SenderType { get; private init; }

    /// <summary>The sender's leaf index (member) or external-sender index (external) of a PublicMessage.</summary>
    public uint? SenderIndex { get; private init; }

    /// <summary>
    /// The new leaf of a PublicMessage commit's UpdatePath (an external commit always has one: it names the joiner's
    /// signature key and credential).
    /// </summary>
    public MlsLeafNode? CommitPathLeaf { get; private init; }

    /// <summary>The decoded PublicMessage of a public message (wire format mls_public_message); null for other wire formats.</summary>
    public MlsPublicMessage? PublicMessage { get; private init; }

    /// <summary>The Welcome of a welcome message.</summary>
    public MlsWelcome? Welcome { get; private init; }

    /// <summary>The GroupInfo of a group_info message.</summary>
    public MlsGroupInfo? GroupInfo { get; private init; }

    /// <summary>The KeyPackage of a key_package message.</summary>
    public MlsKeyPackage? KeyPackage { get; private init; }

    /// <summary>
    /// For a PublicMessage: the encoded AuthenticatedContent (wire format, content and auth, without the
    /// membership tag), which is what a ProposalRef hashes.
    /// </summary>
    public ByteString AuthenticatedContent { get; private init; }

    /// <summary>The MLSMessage (version mls10) carrying <paramref name="body"/>, an encoded Welcome, GroupInfo, KeyPackage… of <paramref name="wireFormat"/>.</summary>
    public static byte[] Frame(MlsWireFormat wireFormat, ReadOnlySpan<byte> body)
    {
        using var w = new TlsWriter(body.Length + 4);
        w.WriteUInt16(1);
        w.WriteUInt16((ushort)wireFormat);
        w.WriteBytes(body);
        return w.ToArray();
    }

    /// <summary>Decodes one MLSMessage that must span the whole input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsMessage? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, "MLSMessage", TryRead, out value, out error);

    /// <summary>
    /// Computes the ProposalRef of a PublicMessage carrying a proposal (RFC 9420 §5.2), with the hash of
    /// <paramref name="suite"/> (the group's cipher suite). Returns <see langword="false"/> for any other message
    /// (a PrivateMessage's proposal can only be referenced after decryption) or an unknown suite.
    /// </summary>
    public bool TryComputeProposalRef(MlsCipherSuite suite, out ByteString reference)
    {
        reference = default;
        return WireFormat == MlsWireFormat.PublicMessage
            && ContentType == MlsContentType.Proposal
            && MlsRefHash.TryCompute(suite, MlsRefHash.ProposalLabel, AuthenticatedContent.Span, out reference);
    }

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsMessage value)
    {
        value = null;
        var start = r.Position;
        if (!r.TryReadUInt16("version", out var version))
        {
            return false;
        }

        if (version != 1)
        {
            return r.FailAt(TlsErrorKind.UnknownEnumValue, "version", start, $"protocol version {version}");
        }

        if (!r.TryReadEnum16("wire_format", out MlsWireFormat wireFormat))
        {
            return false;
        }

        switch (wireFormat)
        {
            case MlsWireFormat.PublicMessage:
                return TryReadPublic(ref r, start, out value);
            case MlsWireFormat.PrivateMessage:
                if (!r.TryReadOpaque("private_message.group_id", TlsLengthPrefix.Varint, out ByteString groupId)
                    || !r.TryReadUInt64("private_message.epoch", out var epoch)
                    || !r.TryReadEnum8("private_message.content_type", out MlsContentType contentType)
                    || !r.TrySkipOpaque("private_message.authenticated_data", TlsLengthPrefix.Varint)
                    || !r.TrySkipOpaque("private_message.encrypted_sender_data", TlsLengthPrefix.Varint)
                    || !r.TrySkipOpaque("private_message.ciphertext", TlsLengthPrefix.Varint))
                {
                    return false;
                }

                value = new MlsMessage
                {
                    Encoded = ByteString.CopyFrom(r.Consumed(start)),
                    WireFormat = wireFormat,
                    GroupId = groupId,
                    Epoch = epoch,
                    ContentType = contentType,
                };
                return true;
            case MlsWireFormat.Welcome:
                if (!r.TryReadStruct<MlsWelcome>("welcome", MlsWelcome.TryRead, out var welcome))
                {
                    return false;
                }

                value = new MlsMessage { Encoded = ByteString.CopyFrom(r.Consumed(start)), WireFormat = wireFormat, Welcome = welcome };
                return true;
            case MlsWireFormat.GroupInfo:
                if (!r.TryReadStruct<MlsGroupInfo>("group_info", MlsGroupInfo.TryRead, out var groupInfo))
                {
                    return false;
                }

                value = new MlsMessage
                {
                    Encoded = ByteString.CopyFrom(r.Consumed(start)),
                    WireFormat = wireFormat,
                    GroupInfo = groupInfo,
                    GroupId = groupInfo.GroupId,
                    Epoch = groupInfo.Epoch,
                };
                return true;
            default:
                if (!r.TryReadStruct<MlsKeyPackage>("key_package", MlsKeyPackage.TryRead, out var keyPackage))
                {
                    return false;
                }

                value = new MlsMessage { Encoded = ByteString.CopyFrom(r.Consumed(start)), WireFormat = wireFormat, KeyPackage = keyPackage };
                return true;
        }
    }

    internal void Write(TlsWriter w) => w.WriteBytes(Encoded.Span);

    private static bool TryReadPublic(ref TlsReader r, int start, [MaybeNullWhen(false)] out MlsMessage value)
    {
        value = null;
        if (!r.TryReadStruct<MlsPublicMessage>("public_message", MlsPublicMessage.TryRead, out var message))
        {
            return false;
        }

        var content = message.Content;
        value = new MlsMessage
        {
            Encoded = ByteString.CopyFrom(r.Consumed(start)),
            WireFormat = MlsWireFormat.PublicMessage,
            PublicMessage = message,
            GroupId = content.GroupId,
            Epoch = content.Epoch,
            ContentType = content.ContentType,
            SenderType = content.Sender.Type,
            SenderIndex = content.Sender.HasIndex ? content.Sender.Index : null,
            CommitPathLeaf = content.Commit?.Path?.LeafNode,
            AuthenticatedContent = message.AuthenticatedContent,
        };
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(MlsMessage? other) => other is not null && Encoded.Equals(other.Encoded);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MlsMessage);

    /// <inheritdoc/>
    public override int GetHashCode() => Encoded.GetHashCode();
}
