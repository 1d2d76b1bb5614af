using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// An MLS GroupContext (RFC 9420 §8.1): what every member agrees on in an epoch, and what FramedContentTBS, LeafNodeTBS
/// of a commit and GroupInfoTBS bind to. The version is always mls10.
/// </summary>
public sealed record MlsGroupContext(
    MlsCipherSuite CipherSuite,
    ByteString GroupId,
    ulong Epoch,
    ByteString TreeHash,
    ByteString ConfirmedTranscriptHash,
    ValueArray<MlsExtension> Extensions)
{
    /// <summary>Decodes a bare GroupContext that must span the whole input; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsGroupContext? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, "GroupContext", TryRead, out value, out error);

    /// <summary>Encodes the context as it is hashed and signed.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.Write(w));

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsGroupContext value)
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

        if (!r.TryReadUInt16("cipher_suite", out var suite)
            || !r.TryReadOpaque("group_id", TlsLengthPrefix.Varint, out ByteString groupId)
            || !r.TryReadUInt64("epoch", out var epoch)
            || !r.TryReadOpaque("tree_hash", TlsLengthPrefix.Varint, out ByteString treeHash)
            || !r.TryReadOpaque("confirmed_transcript_hash", TlsLengthPrefix.Varint, out ByteString confirmed)
            || !MlsExtension.TryReadList(ref r, "extensions", out var extensions))
        {
            return false;
        }

        value = new MlsGroupContext((MlsCipherSuite)suite, groupId, epoch, treeHash, confirmed, extensions);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteUInt16(1);
        w.WriteUInt16((ushort)CipherSuite);
        w.WriteOpaque(GroupId.Span, TlsLengthPrefix.Varint);
        w.WriteUInt64(Epoch);
        w.WriteOpaque(TreeHash.Span, TlsLengthPrefix.Varint);
        w.WriteOpaque(ConfirmedTranscriptHash.Span, TlsLengthPrefix.Varint);
        MlsExtension.WriteList(w, Extensions);
    }
}
