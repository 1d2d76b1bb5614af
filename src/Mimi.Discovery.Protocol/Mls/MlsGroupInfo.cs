using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// An MLS GroupInfo (RFC 9420 §12.4.3): the GroupContext of an epoch, GroupInfo extensions, the confirmation tag, the
/// signer's leaf index and its signature over GroupInfoTBS. Equality is by encoding.
/// </summary>
public sealed class MlsGroupInfo : IEquatable<MlsGroupInfo>
{
    private MlsGroupInfo()
    {
    }

    /// <summary>The encoded GroupInfo (the struct, not wrapped in an MLSMessage).</summary>
    public ByteString Encoded { get; private init; }

    /// <summary>The GroupContext of the epoch.</summary>
    public MlsGroupContext Context { get; private init; } = null!;

    /// <summary>The cipher suite of the group.</summary>
    public MlsCipherSuite CipherSuite => Context.CipherSuite;

    /// <summary>The group id.</summary>
    public ByteString GroupId => Context.GroupId;

    /// <summary>The epoch.</summary>
    public ulong Epoch => Context.Epoch;

    /// <summary>The GroupContext extensions.</summary>
    public ValueArray<MlsExtension> GroupContextExtensions => Context.Extensions;

    /// <summary>The GroupInfo extensions (for example <c>ratchet_tree</c>, <c>external_pub</c>).</summary>
    public ValueArray<MlsExtension> Extensions { get; private init; }

    /// <summary>The confirmation tag of the commit that started the epoch.</summary>
    public ByteString ConfirmationTag { get; private init; }

    /// <summary>The leaf index of the signer.</summary>
    public uint Signer { get; private init; }

    /// <summary>The signature over GroupInfoTBS.</summary>
    public ByteString Signature { get; private init; }

    /// <summary>The encoded GroupInfoTBS: every byte of the GroupInfo before its signature.</summary>
    public ByteString SignedContent { get; private init; }

    /// <summary>Assembles a GroupInfo from its parts and a given signature.</summary>
    public static MlsGroupInfo Create(MlsGroupContext context, ValueArray<MlsExtension> extensions, ByteString confirmationTag, uint signer, ByteString signature)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var w = ToBeSigned(context, extensions, confirmationTag, signer);
        w.WriteOpaque(signature.Span, TlsLengthPrefix.Varint);
        return TryDecode(w.WrittenSpan, out var value, out var error)
            ? value
            : throw new ArgumentException($"Not a valid GroupInfo: {error.Message}", nameof(context));
    }

    /// <summary>
    /// Signs GroupInfoTBS (<c>SignWithLabel(., "GroupInfoTBS", .)</c> in the context's suite) with the signer's
    /// <paramref name="privateKey"/> and assembles the GroupInfo. For tests and tools that build GroupInfos.
    /// </summary>
    public static MlsGroupInfo Sign(MlsGroupContext context, ValueArray<MlsExtension> extensions, ByteString confirmationTag, uint signer, ReadOnlySpan<byte> privateKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var tbs = ToBeSigned(context, extensions, confirmationTag, signer);
        var signature = MlsSignature.SignWithLabel(context.CipherSuite, privateKey, "GroupInfoTBS", tbs.WrittenSpan);
        return Create(context, extensions, confirmationTag, signer, ByteString.CopyFrom(signature));
    }

    /// <summary>Decodes a bare GroupInfo.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsGroupInfo? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, "GroupInfo", TryRead, out value, out error);

    /// <summary>Verifies the signature over GroupInfoTBS with the signer's signature key, in the group's suite.</summary>
    /// <param name="signerKey">The signature key of the leaf at <see cref="Signer"/>.</param>
    public MlsSignatureCheck VerifySignature(ReadOnlySpan<byte> signerKey) =>
        MlsSignature.VerifyWithLabel(CipherSuite, signerKey, "GroupInfoTBS", SignedContent.Span, Signature.Span);

    /// <summary>The GroupInfo as an MLSMessage (mls10, mls_group_info).</summary>
    public byte[] ToMessage() => MlsMessage.Frame(MlsWireFormat.GroupInfo, Encoded.Span);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsGroupInfo value)
    {
        value = null;
        var start = r.Position;
        if (!r.TryReadStruct<MlsGroupContext>("group_context", MlsGroupContext.TryRead, out var context)
            || !MlsExtension.TryReadList(ref r, "extensions", out var extensions)
            || !r.TryReadOpaque("confirmation_tag", TlsLengthPrefix.Varint, out ByteString confirmationTag)
            || !r.TryReadUInt32("signer", out var signer))
        {
            return false;
        }

        var signed = ByteString.CopyFrom(r.Consumed(start));
        if (!r.TryReadOpaque("signature", TlsLengthPrefix.Varint, out ByteString signature))
        {
            return false;
        }

        value = new MlsGroupInfo
        {
            Encoded = ByteString.CopyFrom(r.Consumed(start)),
            Context = context,
            Extensions = extensions,
            ConfirmationTag = confirmationTag,
            Signer = signer,
            Signature = signature,
            SignedContent = signed,
        };
        return true;
    }

    internal void Write(TlsWriter w) => w.WriteBytes(Encoded.Span);

    private static TlsWriter ToBeSigned(MlsGroupContext context, ValueArray<MlsExtension> extensions, ByteString confirmationTag, uint signer)
    {
        var w = new TlsWriter(512);
        context.Write(w);
        MlsExtension.WriteList(w, extensions);
        w.WriteOpaque(confirmationTag.Span, TlsLengthPrefix.Varint);
        w.WriteUInt32(signer);
        return w;
    }

    /// <inheritdoc/>
    public bool Equals(MlsGroupInfo? other) => other is not null && Encoded.Equals(other.Encoded);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MlsGroupInfo);

    /// <inheritdoc/>
    public override int GetHashCode() => Encoded.GetHashCode();
}
