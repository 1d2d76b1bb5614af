using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// An MLS PublicMessage (RFC 9420 §6.2): FramedContent, its authentication data (signature, and the confirmation tag of a
/// commit) and, for a member sender, the membership tag. A server can check the signature (<see cref="VerifySignature"/>);
/// the membership and confirmation tags need the group's secrets. Equality is by encoding.
/// </summary>
public sealed class MlsPublicMessage : IEquatable<MlsPublicMessage>
{
    private MlsPublicMessage()
    {
    }

    /// <summary>The encoded PublicMessage (the struct, not wrapped in an MLSMessage).</summary>
    public ByteString Encoded { get; private init; }

    /// <summary>The framed content.</summary>
    public MlsFramedContent Content { get; private init; } = null!;

    /// <summary>The signature over FramedContentTBS.</summary>
    public ByteString Signature { get; private init; }

    /// <summary>The confirmation tag of a commit; <see langword="null"/> for other content.</summary>
    public ByteString? ConfirmationTag { get; private init; }

    /// <summary>The membership tag of a member's message; <see langword="null"/> for other senders.</summary>
    public ByteString? MembershipTag { get; private init; }

    /// <summary>
    /// The encoded AuthenticatedContent (wire format, content and auth, without the membership tag): what a ProposalRef
    /// hashes.
    /// </summary>
    public ByteString AuthenticatedContent { get; private init; }

    /// <summary>Assembles a PublicMessage from its parts.</summary>
    /// <param name="content">The framed content.</param>
    /// <param name="signature">The signature over FramedContentTBS.</param>
    /// <param name="confirmationTag">The confirmation tag: required for a commit, not allowed otherwise.</param>
    /// <param name="membershipTag">The membership tag: required for a member sender, not allowed otherwise.</param>
    /// <exception cref="ArgumentException">A tag is missing or not allowed.</exception>
    public static MlsPublicMessage Create(MlsFramedContent content, ByteString signature, ByteString? confirmationTag = null, ByteString? membershipTag = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        if ((content.ContentType == MlsContentType.Commit) != confirmationTag.HasValue)
        {
            throw new ArgumentException("A commit, and only a commit, has a confirmation tag.", nameof(confirmationTag));
        }

        if ((content.Sender.Type == MlsSenderType.Member) != membershipTag.HasValue)
        {
            throw new ArgumentException("A member's message, and only a member's, has a membership tag.", nameof(membershipTag));
        }

        using var w = new TlsWriter(content.Encoded.Length + signature.Length + 80);
        content.Write(w);
        w.WriteOpaque(signature.Span, TlsLengthPrefix.Varint);
        if (confirmationTag is { } confirmation)
        {
            w.WriteOpaque(confirmation.Span, TlsLengthPrefix.Varint);
        }

        if (membershipTag is { } membership)
        {
            w.WriteOpaque(membership.Span, TlsLengthPrefix.Varint);
        }

        return TryDecode(w.WrittenSpan, out var value, out var error)
            ? value
            : throw new ArgumentException($"Not a valid PublicMessage: {error.Message}", nameof(content));
    }

    /// <summary>
    /// Signs <paramref name="content"/> (<c>SignWithLabel(., "FramedContentTBS", FramedContentTBS)</c> with
    /// <paramref name="context"/>'s suite) and assembles the PublicMessage. For tests and tools that build messages.
    /// </summary>
    /// <param name="content">The framed content.</param>
    /// <param name="context">The GroupContext of the content's epoch.</param>
    /// <param name="privateKey">The sender's signature private key as MLS encodes it.</param>
    /// <param name="confirmationTag">The confirmation tag of a commit.</param>
    /// <param name="membershipTag">The membership tag of a member's message.</param>
    public static MlsPublicMessage Sign(
        MlsFramedContent content,
        MlsGroupContext context,
        ReadOnlySpan<byte> privateKey,
        ByteString? confirmationTag = null,
        ByteString? membershipTag = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);
        using var tbs = ToBeSigned(content, context);
        var signature = MlsSignature.SignWithLabel(context.CipherSuite, privateKey, "FramedContentTBS", tbs.WrittenSpan);
        return Create(content, ByteString.CopyFrom(signature), confirmationTag, membershipTag);
    }

    /// <summary>
    /// The encoded FramedContentTBS of <paramref name="content"/> in <paramref name="context"/>: what the sender signs with
    /// label <c>"FramedContentTBS"</c>, for tools that sign elsewhere (an MLS client holding the key).
    /// </summary>
    public static byte[] SignatureContent(MlsFramedContent content, MlsGroupContext context)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);
        using var tbs = ToBeSigned(content, context);
        return tbs.ToArray();
    }

    /// <summary>Decodes a bare PublicMessage that must span the whole input; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsPublicMessage? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, "PublicMessage", TryRead, out value, out error);

    /// <summary>
    /// Verifies the signature over FramedContentTBS (RFC 9420 §6.1) with <paramref name="signatureKey"/> (the sender's
    /// leaf, or the external sender's key) in the suite of <paramref name="context"/>; the context is part of what is
    /// signed for member and new_member_commit senders.
    /// </summary>
    /// <param name="context">The GroupContext of the message's epoch.</param>
    /// <param name="signatureKey">The sender's signature public key.</param>
    public MlsSignatureCheck VerifySignature(MlsGroupContext context, ReadOnlySpan<byte> signatureKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var tbs = ToBeSigned(Content, context);
        return MlsSignature.VerifyWithLabel(context.CipherSuite, signatureKey, "FramedContentTBS", tbs.WrittenSpan, Signature.Span);
    }

    /// <summary>The MLSMessage (mls10, mls_public_message) carrying this message.</summary>
    public MlsMessage ToMessage()
    {
        var framed = MlsMessage.Frame(MlsWireFormat.PublicMessage, Encoded.Span);
        return MlsMessage.TryDecode(framed, out var message, out var error)
            ? message
            : throw new InvalidOperationException($"A decoded PublicMessage did not frame: {error.Message}");
    }

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsPublicMessage value)
    {
        value = null;
        var start = r.Position;
        if (!r.TryReadStruct<MlsFramedContent>("content", MlsFramedContent.TryRead, out var content)
            || !r.TryReadOpaque("auth.signature", TlsLengthPrefix.Varint, out ByteString signature))
        {
            return false;
        }

        ByteString? confirmationTag = null;
        if (content.ContentType == MlsContentType.Commit)
        {
            if (!r.TryReadOpaque("auth.confirmation_tag", TlsLengthPrefix.Varint, out ByteString tag))
            {
                return false;
            }

            confirmationTag = tag;
        }

        var authenticated = r.Consumed(start);
        ByteString? membershipTag = null;
        if (content.Sender.Type == MlsSenderType.Member)
        {
            if (!r.TryReadOpaque("membership_tag", TlsLengthPrefix.Varint, out ByteString tag))
            {
                return false;
            }

            membershipTag = tag;
        }

        value = new MlsPublicMessage
        {
            Encoded = ByteString.CopyFrom(r.Consumed(start)),
            Content = content,
            Signature = signature,
            ConfirmationTag = confirmationTag,
            MembershipTag = membershipTag,
            AuthenticatedContent = WithWireFormat(authenticated),
        };
        return true;
    }

    internal void Write(TlsWriter w) => w.WriteBytes(Encoded.Span);

    // FramedContentTBS: version, wire format, content and, for senders inside the group, the GroupContext.
    private static TlsWriter ToBeSigned(MlsFramedContent content, MlsGroupContext context)
    {
        var w = new TlsWriter(content.Encoded.Length + 256);
        w.WriteUInt16(1);
        w.WriteUInt16((ushort)MlsWireFormat.PublicMessage);
        content.Write(w);
        if (content.Sender.Type is MlsSenderType.Member or MlsSenderType.NewMemberCommit)
        {
            context.Write(w);
        }

        return w;
    }

    private static ByteString WithWireFormat(ReadOnlySpan<byte> contentAndAuth)
    {
        var bytes = new byte[contentAndAuth.Length + 2];
        bytes[1] = (byte)MlsWireFormat.PublicMessage;
        contentAndAuth.CopyTo(bytes.AsSpan(2));
        return ByteString.Wrap(bytes);
    }

    /// <inheritdoc/>
    public bool Equals(MlsPublicMessage? other) => other is not null && Encoded.Equals(other.Encoded);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MlsPublicMessage);

    /// <inheritdoc/>
    public override int GetHashCode() => Encoded.GetHashCode();
}
