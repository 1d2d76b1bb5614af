using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// A non-blank parent node of the ratchet tree (RFC 9420 §7.1: <c>ParentNode</c>): its HPKE public key, the parent
/// hash that chains it to the node above (§7.9), and the leaves added under it since it was last set.
/// </summary>
public sealed record MlsParentNode(ByteString EncryptionKey, ByteString ParentHash, ValueArray<uint> UnmergedLeaves)
{
    /// <summary>The length of the encoded ParentNode.</summary>
    internal int EncodedLength =>
        VectorLength(EncryptionKey.Length) + VectorLength(ParentHash.Length) + VectorLength(UnmergedLeaves.Count * 4);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsParentNode value)
    {
        value = null;
        if (!r.TryReadOpaque("encryption_key", TlsLengthPrefix.Varint, out ByteString key)
            || !r.TryReadOpaque("parent_hash", TlsLengthPrefix.Varint, out ByteString parentHash)
            || !r.TryReadVector<uint>("unmerged_leaves", TlsLengthPrefix.Varint, ReadLeafIndex, out var unmerged))
        {
            return false;
        }

        value = new MlsParentNode(key, parentHash, unmerged);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteOpaque(EncryptionKey.Span, TlsLengthPrefix.Varint);
        w.WriteOpaque(ParentHash.Span, TlsLengthPrefix.Varint);
        w.WriteVarint(UnmergedLeaves.Count * 4);
        foreach (var leaf in UnmergedLeaves)
        {
            w.WriteUInt32(leaf);
        }
    }

    /// <summary>
    /// Writes the ParentNode into <paramref name="destination"/> (at least <see cref="EncodedLength"/> bytes), leaving
    /// out the unmerged leaves <paramref name="excluded"/> lists; returns the bytes written. Used for hash inputs, so
    /// it takes no writer.
    /// </summary>
    internal int WriteTo(Span<byte> destination, ValueArray<uint> excluded = default)
    {
        var at = WriteVector(destination, EncryptionKey.Span);
        at += WriteVector(destination[at..], ParentHash.Span);
        var kept = 0;
        foreach (var leaf in UnmergedLeaves)
        {
            if (!excluded.Items.Contains(leaf))
            {
                kept++;
            }
        }

        at += TlsVarint.Write(destination[at..], kept * 4);
        foreach (var leaf in UnmergedLeaves)
        {
            if (!excluded.Items.Contains(leaf))
            {
                BinaryPrimitives.WriteUInt32BigEndian(destination[at..], leaf);
                at += 4;
            }
        }

        return at;
    }

    internal static int VectorLength(int length) => TlsVarint.GetEncodedLength(length) + length;

    internal static int WriteVector(Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        var at = TlsVarint.Write(destination, bytes.Length);
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }

    private static bool ReadLeafIndex(ref TlsReader r, out uint value) => r.TryReadUInt32("leaf_index", out value);
}
