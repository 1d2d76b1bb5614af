using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Org.BouncyCastle.Utilities;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// A signature private key of an RFC 9420 cipher suite's scheme, derived from seed material so every replica holding
/// the same seed signs with the same key, with <see cref="MlsSignature.SignWithLabel"/> (RFC 9420 §5.1.2).
/// </summary>
public sealed class MlsSigningKey
{
    private readonly byte[] _privateKey;

    private MlsSigningKey(MlsCipherSuite suite, byte[] privateKey, byte[] publicKey)
    {
        CipherSuite = suite;
        _privateKey = privateKey;
        PublicKey = publicKey;
    }

    /// <summary>The suite whose signature scheme this key belongs to.</summary>
    public MlsCipherSuite CipherSuite { get; }

    /// <summary>The public key as MLS encodes it (raw for EdDSA, an uncompressed SEC1 point for ECDSA).</summary>
    public byte[] PublicKey { get; }

    /// <summary>How many seed bytes <see cref="FromSeed"/> takes for <paramref name="suite"/>'s scheme (ECDSA: 16 more than the order, to reduce without bias).</summary>
    public static int SeedSize(MlsCipherSuite suite) => suite switch
    {
        MlsCipherSuite.X25519Aes128GcmSha256Ed25519 or MlsCipherSuite.X25519ChaCha20Poly1305Sha256Ed25519 => Ed25519.SecretKeySize,
        MlsCipherSuite.X448Aes256GcmSha512Ed448 or MlsCipherSuite.X448ChaCha20Poly1305Sha512Ed448 => Ed448.SecretKeySize,
        MlsCipherSuite.P256Aes128GcmSha256P256 => 48,
        MlsCipherSuite.P384Aes256GcmSha384P384 => 64,
        MlsCipherSuite.P521Aes256GcmSha512P521 => 82,
        _ => throw new NotSupportedException($"Cipher suite {(ushort)suite} has no signature scheme implemented here."),
    };

    /// <summary>The key of <paramref name="suite"/>'s scheme determined by <paramref name="seed"/> (<see cref="SeedSize"/> bytes).</summary>
    public static MlsSigningKey FromSeed(MlsCipherSuite suite, ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize(suite))
        {
            throw new ArgumentException($"The seed of suite {(ushort)suite}'s signature key is {SeedSize(suite)} bytes.", nameof(seed));
        }

        switch (Curve(suite))
        {
            case null when seed.Length == Ed25519.SecretKeySize:
                {
                    var publicKey = new byte[Ed25519.PublicKeySize];
                    Ed25519.GeneratePublicKey(seed.ToArray(), 0, publicKey, 0);
                    return new MlsSigningKey(suite, seed.ToArray(), publicKey);
                }

            case null:
                {
                    var publicKey = new byte[Ed448.PublicKeySize];
                    Ed448.GeneratePublicKey(seed.ToArray(), 0, publicKey, 0);
                    return new MlsSigningKey(suite, seed.ToArray(), publicKey);
                }

            case var (curve, _, _):
                {
                    // d = seed mod (n - 1) + 1: uniform enough with 128 extra bits, never zero.
                    var n = curve.N;
                    var d = new BigInteger(1, seed.ToArray()).Mod(n.Subtract(BigInteger.One)).Add(BigInteger.One);
                    var size = (curve.Curve.FieldSize + 7) / 8;
                    return new MlsSigningKey(suite, BigIntegers.AsUnsignedByteArray(size, d), curve.G.Multiply(d).Normalize().GetEncoded(false));
                }
        }
    }

    /// <summary><c>SignWithLabel(key, label, content)</c>: a signature over <c>SignContent = { "MLS 1.0 " + label, content }</c>.</summary>
    public byte[] SignWithLabel(string label, ReadOnlySpan<byte> content) => MlsSignature.SignWithLabel(CipherSuite, _privateKey, label, content);

    private static (X9ECParameters Curve, ECCurve DotnetCurve, HashAlgorithmName Hash)? Curve(MlsCipherSuite suite) => suite switch
    {
        MlsCipherSuite.P256Aes128GcmSha256P256 => (CustomNamedCurves.GetByName("P-256"), ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256),
        MlsCipherSuite.P384Aes256GcmSha384P384 => (CustomNamedCurves.GetByName("P-384"), ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384),
        MlsCipherSuite.P521Aes256GcmSha512P521 => (CustomNamedCurves.GetByName("P-521"), ECCurve.NamedCurves.nistP521, HashAlgorithmName.SHA512),
        _ => null,
    };
}
