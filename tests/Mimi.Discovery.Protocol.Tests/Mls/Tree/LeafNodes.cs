using System.Security.Cryptography;
using Mimi.Discovery.Protocol.Tests.Support;
using Mimi.Discovery.Protocol.Tls;
using Ed25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace Mimi.Discovery.Protocol.Tests.Mls.Tree;

/// <summary>What a test leaf node holds; each default is valid for suite 1 so that one rule can be broken at a time.</summary>
internal sealed record LeafSpec
{
    public MlsLeafNodeSource Source { get; init; } = MlsLeafNodeSource.KeyPackage;
    public byte[] EncryptionKey { get; init; } = RandomNumberGenerator.GetBytes(32);
    public byte[] SigningSeed { get; init; } = RandomNumberGenerator.GetBytes(32);
    public ulong NotBefore { get; init; } = (ulong)DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
    public ulong NotAfter { get; init; } = (ulong)DateTimeOffset.UtcNow.AddDays(7).ToUnixTimeSeconds();
    public MlsCredentialType CredentialType { get; init; } = MlsCredentialType.Basic;
    public ushort[] CredentialCapabilities { get; init; } = [1, 2];
    public ushort[] ExtensionCapabilities { get; init; } = [];
    public ushort[] ProposalCapabilities { get; init; } = [];
    public ushort[] Extensions { get; init; } = [];
    public byte[] ParentHash { get; init; } = [];
    public byte[] GroupId { get; init; } = "group"u8.ToArray();
    public uint LeafIndex { get; init; }
}

/// <summary>Builds LeafNodes in C#, signed for real with Ed25519 (suite 1) over LeafNodeTBS.</summary>
internal static class LeafNodes
{
    public const MlsCipherSuite Suite = MlsCipherSuite.X25519Aes128GcmSha256Ed25519;

    public static MlsLeafNode Build(LeafSpec spec)
    {
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(spec.SigningSeed, 0, publicKey, 0);
        var content = MlsSamples.Build(w =>
        {
            w.WriteOpaque(spec.EncryptionKey, TlsLengthPrefix.Varint);
            w.WriteOpaque(publicKey, TlsLengthPrefix.Varint);
            if (spec.CredentialType == MlsCredentialType.Basic)
            {
                MlsSamples.BasicCredential(w, "mimi://alpha.test/d/client"u8.ToArray());
            }
            else
            {
                w.WriteUInt16(2);
                w.WriteVarint(5);
                w.WriteOpaque([0x30, 0x02, 0x05, 0x00], TlsLengthPrefix.Varint);
            }

            MlsSamples.Codes(w, 1);
            MlsSamples.Codes(w, (ushort)Suite);
            MlsSamples.Codes(w, spec.ExtensionCapabilities);
            MlsSamples.Codes(w, spec.ProposalCapabilities);
            MlsSamples.Codes(w, spec.CredentialCapabilities);
            MlsSamples.LeafNodeSource(w, spec.Source, spec.NotBefore, spec.NotAfter, spec.ParentHash);

            MlsSamples.Extensions(w, spec.Extensions);
        });
        var tbs = spec.Source == MlsLeafNodeSource.KeyPackage
            ? content
            : MlsSamples.Build(w =>
            {
                w.WriteBytes(content);
                w.WriteOpaque(spec.GroupId, TlsLengthPrefix.Varint);
                w.WriteUInt32(spec.LeafIndex);
            });
        var signature = MlsSignature.SignWithLabel(Suite, spec.SigningSeed, "LeafNodeTBS", tbs);
        return Parse(MlsSamples.Build(w =>
        {
            w.WriteBytes(content);
            w.WriteOpaque(signature, TlsLengthPrefix.Varint);
        }));
    }

    public static MlsLeafNode Build() => Build(new LeafSpec());

    public static MlsLeafNode Parse(byte[] encoded)
    {
        var reader = new TlsReader(encoded);
        Assert.True(reader.TryReadStruct<MlsLeafNode>("leaf_node", MlsLeafNode.TryRead, out var leaf) && reader.TryFinish("leaf_node"), reader.Error.Message);
        return leaf;
    }

    /// <summary>The node vector's contents of a tree given node by node: a LeafNode, a ParentNode or null for blank.</summary>
    public static byte[] Contents(params object?[] nodes) => MlsSamples.Build(w =>
    {
        foreach (var node in nodes)
        {
            w.WritePresence(node is not null);
            switch (node)
            {
                case MlsLeafNode leaf:
                    w.WriteUInt8(1);
                    w.WriteBytes(leaf.Encoded.Span);
                    break;
                case MlsParentNode parent:
                    w.WriteUInt8(2);
                    parent.Write(w);
                    break;
                default:
                    break;
            }
        }
    });

    public static MlsParentNode Parent(params uint[] unmerged) =>
        new(ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)), default, ValueArray.Create(unmerged));
}
