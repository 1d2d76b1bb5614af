using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// An MLS KeyPackage (RFC 9420 §10), parsed just enough to frame it, route it and check it: its cipher suite,
/// init key, leaf node (credential, capabilities, lifetime) and extensions. Signatures are not verified here.
/// Equality is by encoding.
/// </summary>
public sealed class MlsKeyPackage : IEquatable<MlsKeyPackage>
{
    private MlsKeyPackage()
    {
    }

    /// <summary>The encoded KeyPackage (the struct, not wrapped in an MLSMessage).</summary>
    public ByteString Encoded { get; private init; }

    /// <summary>The protocol version (1 = mls10).</summary>
    public ushort Version { get; private init; }

    /// <summary>The cipher suite.</summary>
    public MlsCipherSuite CipherSuite { get; private init; }

    /// <summary>The HPKE init key.</summary>
    public ByteString InitKey { get; private init; }

    /// <summary>The leaf node.</summary>
    public MlsLeafNode LeafNode { get; private init; } = null!;

    /// <summary>The KeyPackage extensions (for example <c>last_resort</c>).</summary>
    public ValueArray<MlsExtension> Extensions { get; private init; }

    /// <summary>The signature over KeyPackageTBS.</summary>
    public ByteString Signature { get; private init; }

    /// <summary>The encoded KeyPackageTBS: every byte of the KeyPackage before its signature.</summary>
    public ByteString SignedContent { get; private init; }

    /// <summary>
    /// Whether the KeyPackage carries the <c>last_resort</c> extension (<see cref="MlsExtensionTypes.LastResort"/>):
    /// a delivery service may hand it out more than once when no other KeyPackage of the client is left.
    /// </summary>
    public bool IsLastResort
    {
        get
        {
            foreach (var extension in Extensions)
            {
                if (extension.ExtensionType == MlsExtensionTypes.LastResort)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Decodes a bare KeyPackage.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsKeyPackage? value, out TlsError error) =>
        TlsCodec.TryDecode(data, null, "KeyPackage", TryRead, out value, out error);

    /// <summary>
    /// Computes the KeyPackageRef, <c>RefHash("MLS 1.0 KeyPackage Reference", KeyPackage)</c> with the hash of the
    /// KeyPackage's own cipher suite. Returns <see langword="false"/> for a suite whose hash is not known here.
    /// </summary>
    public bool TryComputeRef(out ByteString reference) =>
        MlsRefHash.TryCompute(CipherSuite, MlsRefHash.KeyPackageLabel, Encoded.Span, out reference);

    internal static bool TryRead(ref TlsReader r, [MaybeNullWhen(false)] out MlsKeyPackage value)
    {
        value = null;
        var start = r.Position;
        if (!r.TryReadUInt16("version", out var version)
            || !r.TryReadUInt16("cipher_suite", out var suite)
            || !r.TryReadOpaque("init_key", TlsLengthPrefix.Varint, out ByteString initKey)
            || !r.TryReadStruct<MlsLeafNode>("leaf_node", MlsLeafNode.TryRead, out var leafNode)
            || !MlsExtension.TryReadList(ref r, "extensions", out var extensions))
        {
            return false;
        }

        var signed = ByteString.CopyFrom(r.Consumed(start));
        if (!r.TryReadOpaque("signature", TlsLengthPrefix.Varint, out ByteString signature))
        {
            return false;
        }

        value = new MlsKeyPackage
        {
            Encoded = ByteString.CopyFrom(r.Consumed(start)),
            Version = version,
            CipherSuite = (MlsCipherSuite)suite,
            InitKey = initKey,
            LeafNode = leafNode,
            Extensions = extensions,
            Signature = signature,
            SignedContent = signed,
        };
        return true;
    }

    internal void Write(TlsWriter w) => w.WriteBytes(Encoded.Span);

    /// <inheritdoc/>
    public bool Equals(MlsKeyPackage? other) => other is not null && Encoded.Equals(other.Encoded);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MlsKeyPackage);

    /// <inheritdoc/>
    public override int GetHashCode() => Encoded.GetHashCode();
}
