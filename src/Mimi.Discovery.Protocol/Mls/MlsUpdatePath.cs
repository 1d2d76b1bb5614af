using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// One node of an UpdatePath (RFC 9420 §12.4.1: <c>UpdatePathNode</c>): the new public key of a node on the committer's
/// filtered direct path and the path secret encrypted to each node of its copath child's resolution.
/// </summary>
public sealed record MlsUpdatePathNode(ByteString EncryptionKey, ValueArray<HpkeCiphertext> EncryptedPathSecret)
{
    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsUpdatePathNode value)
    {
        value = null;
        if (!r.TryReadOpaque("encryption_key", TlsLengthPrefix.Varint, out ByteString key)
            || !r.TryReadVector<HpkeCiphertext>("encrypted_path_secret", TlsLengthPrefix.Varint, HpkeCiphertext.TryRead, out var secrets))
        {
            return false;
        }

        value = new MlsUpdatePathNode(key, secrets);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteOpaque(EncryptionKey.Span, TlsLengthPrefix.Varint);
        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var secret in EncryptedPathSecret)
        {
            secret.Write(w);
        }

        w.EndVector(scope);
    }
}

/// <summary>
/// A Commit's UpdatePath (RFC 9420 §12.4.1): the committer's new leaf node (source <c>commit</c>) and one node per
/// member of its filtered direct path, lowest first. A server reads the public keys and the leaf; the encrypted path
/// secrets are for members only.
/// </summary>
public sealed record MlsUpdatePath(MlsLeafNode LeafNode, ValueArray<MlsUpdatePathNode> Nodes)
{
    /// <summary>Decodes a bare UpdatePath that must span the whole input; never throws on malformed input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsUpdatePath? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, "UpdatePath", TryRead, out value, out error);

    /// <summary>Encodes the path.</summary>
    public byte[] Encode() => TlsCodec.Encode(this, static (x, w) => x.Write(w));

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsUpdatePath value)
    {
        value = null;
        if (!r.TryReadStruct<MlsLeafNode>("leaf_node", MlsLeafNode.TryRead, out var leaf)
            || !r.TryReadVector<MlsUpdatePathNode>("nodes", TlsLengthPrefix.Varint, MlsUpdatePathNode.TryRead, out var nodes))
        {
            return false;
        }

        value = new MlsUpdatePath(leaf, nodes);
        return true;
    }

    internal void Write(TlsWriter w)
    {
        w.WriteBytes(LeafNode.Encoded.Span);
        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var node in Nodes)
        {
            node.Write(w);
        }

        w.EndVector(scope);
    }
}
