using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>A parsed MLS LeafNode (RFC 9420 §7.2), with its encoding.</summary>
public sealed class MlsLeafNode : IEquatable<MlsLeafNode>
{
    private MlsLeafNode()
    {
    }

    /// <summary>The encoded LeafNode.</summary>
    public ByteString Encoded { get; private init; }

    /// <summary>The HPKE encryption key.</summary>
    public ByteString EncryptionKey { get; private init; }

    /// <summary>The signature public key.</summary>
    public ByteString SignatureKey { get; private init; }

    /// <summary>The credential.</summary>
    public MlsCredential Credential { get; private init; } = null!;

    /// <summary>The capabilities (GREASE values included).</summary>
    public MlsCapabilities Capabilities { get; private init; } = null!;

    /// <summary>Where the leaf node came from.</summary>
    public MlsLeafNodeSource Source { get; private init; }

    /// <summary><c>lifetime.not_before</c> (seconds since the epoch) when <see cref="Source"/> is KeyPackage.</summary>
    public ulong? NotBefore { get; private init; }

    /// <summary><c>lifetime.not_after</c> (seconds since the epoch) when <see cref="Source"/> is KeyPackage.</summary>
    public ulong? NotAfter { get; private init; }

    /// <summary>The parent hash when <see cref="Source"/> is Commit.</summary>
    public ByteString ParentHash { get; private init; }

    /// <summary>The leaf node's extensions.</summary>
    public ValueArray<MlsExtension> Extensions { get; private init; }

    /// <summary>The signature over LeafNodeTBS.</summary>
    public ByteString Signature { get; private init; }

    /// <summary>
    /// Every byte of the LeafNode before its signature. For a KeyPackage leaf this is the whole LeafNodeTBS
    /// (RFC 9420 §7.2); Update and Commit leaves sign it followed by the group id and leaf index.
    /// </summary>
    public ByteString SignedContent { get; private init; }

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsLeafNode value)
    {
        value = null;
        var start = r.Position;
        if (!r.TryReadOpaque("encryption_key", TlsLengthPrefix.Varint, out ByteString encryptionKey)
            || !r.TryReadOpaque("signature_key", TlsLengthPrefix.Varint, out ByteString signatureKey)
            || !r.TryReadStruct<MlsCredential>("credential", MlsCredential.TryRead, out var credential)
            || !r.TryReadStruct<MlsCapabilities>("capabilities", MlsCapabilities.TryRead, out var capabilities)
            || !r.TryReadEnum8("leaf_node_source", out MlsLeafNodeSource source))
        {
            return false;
        }

        ulong? notBefore = null;
        ulong? notAfter = null;
        ByteString parentHash = default;
        switch (source)
        {
            case MlsLeafNodeSource.KeyPackage:
                if (!r.TryReadUInt64("lifetime.not_before", out var nb) || !r.TryReadUInt64("lifetime.not_after", out var na))
                {
                    return false;
                }

                notBefore = nb;
                notAfter = na;
                break;
            case MlsLeafNodeSource.Commit:
                if (!r.TryReadOpaque("parent_hash", TlsLengthPrefix.Varint, out parentHash))
                {
                    return false;
                }

                break;
            default:
                break;
        }

        if (!MlsExtension.TryReadList(ref r, "extensions", out var extensions))
        {
            return false;
        }

        var signed = ByteString.CopyFrom(r.Consumed(start));
        if (!r.TryReadOpaque("signature", TlsLengthPrefix.Varint, out ByteString signature))
        {
            return false;
        }

        value = new MlsLeafNode
        {
            Encoded = ByteString.CopyFrom(r.Consumed(start)),
            EncryptionKey = encryptionKey,
            SignatureKey = signatureKey,
            Credential = credential,
            Capabilities = capabilities,
            Source = source,
            NotBefore = notBefore,
            NotAfter = notAfter,
            ParentHash = parentHash,
            Extensions = extensions,
            Signature = signature,
            SignedContent = signed,
        };
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(MlsLeafNode? other) => other is not null && Encoded.Equals(other.Encoded);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MlsLeafNode);

    /// <inheritdoc/>
    public override int GetHashCode() => Encoded.GetHashCode();
}
