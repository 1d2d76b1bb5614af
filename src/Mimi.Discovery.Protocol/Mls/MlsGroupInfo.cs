using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>An MLS GroupInfo (RFC 9420 §12.4.3), parsed for its GroupContext header. Equality is by encoding.</summary>
public sealed class MlsGroupInfo : IEquatable<MlsGroupInfo>
{
    private MlsGroupInfo()
    {
    }

    /// <summary>The encoded GroupInfo (the struct, not wrapped in an MLSMessage).</summary>
    public ByteString Encoded { get; private init; }

    /// <summary>The cipher suite of the group.</summary>
    public MlsCipherSuite CipherSuite { get; private init; }

    /// <summary>The group id.</summary>
    public ByteString GroupId { get; private init; }

    /// <summary>The epoch.</summary>
    public ulong Epoch { get; private init; }

    /// <summary>The GroupContext extensions.</summary>
    public ValueArray<MlsExtension> GroupContextExtensions { get; private init; }

    /// <summary>The GroupInfo extensions (for example <c>ratchet_tree</c>, <c>external_pub</c>).</summary>
    public ValueArray<MlsExtension> Extensions { get; private init; }

    /// <summary>The leaf index of the signer.</summary>
    public uint Signer { get; private init; }

    /// <summary>Decodes a bare GroupInfo.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsGroupInfo? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, "GroupInfo", TryRead, out value, out error);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsGroupInfo value)
    {
        value = null;
        var start = r.Position;
        if (!r.TryReadUInt16("group_context.version", out _)
            || !r.TryReadUInt16("group_context.cipher_suite", out var suite)
            || !r.TryReadOpaque("group_context.group_id", TlsLengthPrefix.Varint, out ByteString groupId)
            || !r.TryReadUInt64("group_context.epoch", out var epoch)
            || !r.TrySkipOpaque("group_context.tree_hash", TlsLengthPrefix.Varint)
            || !r.TrySkipOpaque("group_context.confirmed_transcript_hash", TlsLengthPrefix.Varint)
            || !MlsExtension.TryReadList(ref r, "group_context.extensions", out var contextExtensions)
            || !MlsExtension.TryReadList(ref r, "extensions", out var extensions)
            || !r.TrySkipOpaque("confirmation_tag", TlsLengthPrefix.Varint)
            || !r.TryReadUInt32("signer", out var signer)
            || !r.TrySkipOpaque("signature", TlsLengthPrefix.Varint))
        {
            return false;
        }

        value = new MlsGroupInfo
        {
            Encoded = ByteString.CopyFrom(r.Consumed(start)),
            CipherSuite = (MlsCipherSuite)suite,
            GroupId = groupId,
            Epoch = epoch,
            GroupContextExtensions = contextExtensions,
            Extensions = extensions,
            Signer = signer,
        };
        return true;
    }

    internal void Write(TlsWriter w) => w.WriteBytes(Encoded.Span);

    /// <inheritdoc/>
    public bool Equals(MlsGroupInfo? other) => other is not null && Encoded.Equals(other.Encoded);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MlsGroupInfo);

    /// <inheritdoc/>
    public override int GetHashCode() => Encoded.GetHashCode();
}
