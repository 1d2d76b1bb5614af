using System.Security.Cryptography;
using Mimi.Discovery.Protocol.Tls;
using Org.BouncyCastle.Security;
using Ed25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace Mimi.Discovery.Protocol.Tests.Support;

/// <summary>
/// Builds KeyPackages in C# and signs them for real (Ed25519 with BouncyCastle, P-256 with .NET), so the validator's
/// refusals can be tested one rule at a time with every other rule satisfied.
/// </summary>
internal sealed record KeyPackageSpec
{
    public ushort Version { get; init; } = 1;
    public MlsCipherSuite Suite { get; init; } = MlsCipherSuite.X25519Aes128GcmSha256Ed25519;
    public byte[] InitKey { get; init; } = RandomNumberGenerator.GetBytes(32);
    public byte[] EncryptionKey { get; init; } = RandomNumberGenerator.GetBytes(32);
    public MlsLeafNodeSource Source { get; init; } = MlsLeafNodeSource.KeyPackage;
    public ulong NotBefore { get; init; } = (ulong)DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
    public ulong NotAfter { get; init; } = (ulong)DateTimeOffset.UtcNow.AddDays(7).ToUnixTimeSeconds();
    public byte[] Identity { get; init; } = "mimi://beta.test/d/bob-phone"u8.ToArray();
    public ushort[] Versions { get; init; } = [1];
    public ushort[]? CipherSuites { get; init; }
    public ushort[] Extensions { get; init; } = [];
    public ushort[] Credentials { get; init; } = [1, 0x2A2A];
    public ushort[] LeafExtensions { get; init; } = [];
    public ushort[] KeyPackageExtensions { get; init; } = [];
}

internal static class SignedKeyPackages
{
    /// <summary>The bare KeyPackage, both signatures made with a fresh key of the spec's suite.</summary>
    public static byte[] Build(KeyPackageSpec spec)
    {
        var (publicKey, sign) = NewSigner(spec.Suite);
        var leafTbs = MlsSamples.Build(w =>
        {
            w.WriteOpaque(spec.EncryptionKey, TlsLengthPrefix.Varint);
            w.WriteOpaque(publicKey, TlsLengthPrefix.Varint);
            MlsSamples.BasicCredential(w, spec.Identity);
            MlsSamples.Codes(w, spec.Versions);
            MlsSamples.Codes(w, spec.CipherSuites ?? [(ushort)spec.Suite, 0x1A1A]);
            MlsSamples.Codes(w, spec.Extensions);
            MlsSamples.Codes(w, []);
            MlsSamples.Codes(w, spec.Credentials);
            MlsSamples.LeafNodeSource(w, spec.Source, spec.NotBefore, spec.NotAfter, new byte[32]);

            MlsSamples.Extensions(w, spec.LeafExtensions);
        });
        var leafSignature = sign(SignContent("LeafNodeTBS", leafTbs));
        var keyPackageTbs = MlsSamples.Build(w =>
        {
            w.WriteUInt16(spec.Version);
            w.WriteUInt16((ushort)spec.Suite);
            w.WriteOpaque(spec.InitKey, TlsLengthPrefix.Varint);
            w.WriteBytes(leafTbs);
            w.WriteOpaque(leafSignature, TlsLengthPrefix.Varint);
            MlsSamples.Extensions(w, spec.KeyPackageExtensions);
        });
        var signature = sign(SignContent("KeyPackageTBS", keyPackageTbs));
        return MlsSamples.Build(w =>
        {
            w.WriteBytes(keyPackageTbs);
            w.WriteOpaque(signature, TlsLengthPrefix.Varint);
        });
    }

    public static MlsKeyPackage Parse(KeyPackageSpec spec) => MlsSamples.ParseKeyPackage(Build(spec));

    private static byte[] SignContent(string label, byte[] content) => MlsSamples.Build(w =>
    {
        w.WriteUtf8("MLS 1.0 " + label, TlsLengthPrefix.Varint);
        w.WriteOpaque(content, TlsLengthPrefix.Varint);
    });

    private static (byte[] PublicKey, Func<byte[], byte[]> Sign) NewSigner(MlsCipherSuite suite)
    {
        if (suite == MlsCipherSuite.P256Aes128GcmSha256P256)
        {
            var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var q = ecdsa.ExportParameters(false).Q;
            byte[] uncompressed = [0x04, .. q.X!, .. q.Y!];
            return (uncompressed, message => ecdsa.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        var secret = new byte[Ed25519.SecretKeySize];
        Ed25519.GeneratePrivateKey(new SecureRandom(), secret);
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(secret, 0, publicKey, 0);
        return (publicKey, Sign);

        byte[] Sign(byte[] message)
        {
            var signature = new byte[Ed25519.SignatureSize];
            Ed25519.Sign(secret, 0, message, 0, message.Length, signature, 0);
            return signature;
        }
    }
}
