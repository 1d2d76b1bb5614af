using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The FramedContent of a PublicMessage (RFC 9420 §6): the group, epoch, sender, authenticated data and one of
/// application data, a proposal or a commit. Equality is by encoding.
/// </summary>
public sealed class MlsFramedContent : IEquatable<MlsFramedContent>
{
    private MlsFramedContent()
    {
    }

    /// <summary>The encoded FramedContent.</summary>
    public ByteString Encoded { get; private init; }

    /// <summary>The group id.</summary>
    public ByteString GroupId { get; private init; }

    /// <summary>The epoch.</summary>
    public ulong Epoch { get; private init; }

    /// <summary>The sender.</summary>
    public MlsSender Sender { get; private init; }

    /// <summary>The authenticated data.</summary>
    public ByteString AuthenticatedData { get; private init; }

    /// <summary>The content type.</summary>
    public MlsContentType ContentType { get; private init; }

    /// <summary>The application data of an application message.</summary>
    public ByteString ApplicationData { get; private init; }

    /// <summary>The proposal of a proposal message.</summary>
    public MlsProposal? Proposal { get; private init; }

    /// <summary>The commit of a commit message.</summary>
    public MlsCommit? Commit { get; private init; }

    /// <summary>FramedContent carrying application data (as it is signed before encryption).</summary>
    public static MlsFramedContent ForApplication(ByteString groupId, ulong epoch, MlsSender sender, ByteString authenticatedData, ByteString applicationData) =>
        Build(groupId, epoch, sender, authenticatedData, MlsContentType.Application, w => w.WriteOpaque(applicationData.Span, TlsLengthPrefix.Varint));

    /// <summary>FramedContent carrying a proposal.</summary>
    public static MlsFramedContent ForProposal(ByteString groupId, ulong epoch, MlsSender sender, ByteString authenticatedData, MlsProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return Build(groupId, epoch, sender, authenticatedData, MlsContentType.Proposal, proposal.Write);
    }

    /// <summary>FramedContent carrying a commit.</summary>
    public static MlsFramedContent ForCommit(ByteString groupId, ulong epoch, MlsSender sender, ByteString authenticatedData, MlsCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return Build(groupId, epoch, sender, authenticatedData, MlsContentType.Commit, commit.Write);
    }

    /// <summary>Decodes a bare FramedContent that must span the whole input; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsFramedContent? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, "FramedContent", TryRead, out value, out error);

    /// <summary>Encodes the content, as it is signed (inside FramedContentTBS) and framed.</summary>
    public byte[] Encode() => Encoded.ToArray();

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsFramedContent value)
    {
        value = null;
        var start = r.Position;
        if (!r.TryReadOpaque("group_id", TlsLengthPrefix.Varint, out ByteString groupId)
            || !r.TryReadUInt64("epoch", out var epoch)
            || !r.TryReadStruct<MlsSender>("sender", MlsSender.TryRead, out var sender)
            || !r.TryReadOpaque("authenticated_data", TlsLengthPrefix.Varint, out ByteString authenticatedData)
            || !r.TryReadEnum8("content_type", out MlsContentType contentType))
        {
            return false;
        }

        ByteString applicationData = default;
        MlsProposal? proposal = null;
        MlsCommit? commit = null;
        var read = contentType switch
        {
            MlsContentType.Application => r.TryReadOpaque("application_data", TlsLengthPrefix.Varint, out applicationData),
            MlsContentType.Proposal => r.TryReadStruct<MlsProposal>("proposal", MlsProposal.TryRead, out proposal),
            _ => r.TryReadStruct<MlsCommit>("commit", MlsCommit.TryRead, out commit),
        };
        if (!read)
        {
            return false;
        }

        value = new MlsFramedContent
        {
            Encoded = ByteString.CopyFrom(r.Consumed(start)),
            GroupId = groupId,
            Epoch = epoch,
            Sender = sender,
            AuthenticatedData = authenticatedData,
            ContentType = contentType,
            ApplicationData = applicationData,
            Proposal = proposal,
            Commit = commit,
        };
        return true;
    }

    internal void Write(TlsWriter w) => w.WriteBytes(Encoded.Span);

    private static MlsFramedContent Build(ByteString groupId, ulong epoch, MlsSender sender, ByteString authenticatedData, MlsContentType type, Action<TlsWriter> body)
    {
        using var w = new TlsWriter();
        w.WriteOpaque(groupId.Span, TlsLengthPrefix.Varint);
        w.WriteUInt64(epoch);
        sender.Write(w);
        w.WriteOpaque(authenticatedData.Span, TlsLengthPrefix.Varint);
        w.WriteUInt8((byte)type);
        body(w);
        return TryDecode(w.WrittenSpan, out var value, out var error)
            ? value
            : throw new ArgumentException($"Not a valid FramedContent: {error.Message}", nameof(sender));
    }

    /// <inheritdoc/>
    public bool Equals(MlsFramedContent? other) => other is not null && Encoded.Equals(other.Encoded);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MlsFramedContent);

    /// <inheritdoc/>
    public override int GetHashCode() => Encoded.GetHashCode();
}
