using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace Mimi.Discovery.Oprf;

/// <summary>
/// A server's OPRF key: the private scalar k and the public element k·G, named by a short key id so that a
/// service can keep the previous key next to the current one while clients move over.
/// </summary>
public sealed class OprfKeyPair
{
    private const int KeyIdBytes = 8;

    private OprfKeyPair(BigInteger privateKey)
    {
        PrivateKey = privateKey;
        PublicKey = OprfElement.FromNormalized(P256.MultiplyGenerator(privateKey).Normalize());
        KeyId = ComputeKeyId(PublicKey);
    }

    /// <summary>The public key pkS = k·G, which VOPRF clients verify proofs against.</summary>
    public OprfElement PublicKey { get; }

    /// <summary>The first 8 bytes of SHA-256 over the compressed public key, in lowercase hexadecimal (16 characters).</summary>
    public string KeyId { get; }

    internal BigInteger PrivateKey { get; }

    /// <summary>A fresh key pair from the system's cryptographic random number generator.</summary>
    public static OprfKeyPair Generate() => new(P256.RandomScalar());

    /// <summary>
    /// DeriveKeyPair (RFC 9497 §3.2.1): a deterministic key pair from a secret seed and a public info string.
    /// The mode is part of the derivation, so the same seed gives different keys for OPRF and VOPRF.
    /// </summary>
    /// <param name="mode">The protocol mode the key serves.</param>
    /// <param name="seed"><see cref="OprfSuite.SeedLength"/> bytes of secret, uniformly random seed.</param>
    /// <param name="info">Public key information, at most 65535 bytes.</param>
    /// <exception cref="ArgumentException">The seed or info has an unsupported length.</exception>
    public static OprfKeyPair Derive(OprfMode mode, ReadOnlySpan<byte> seed, ReadOnlySpan<byte> info)
    {
        if (seed.Length != OprfSuite.SeedLength)
        {
            throw new ArgumentException($"The seed must hold {OprfSuite.SeedLength} bytes.", nameof(seed));
        }

        if (info.Length > ushort.MaxValue)
        {
            throw new ArgumentException("The info string holds at most 65535 bytes.", nameof(info));
        }

        var context = OprfContext.For(mode);

        // deriveInput || I2OSP(counter, 1), where deriveInput = seed || I2OSP(len(info), 2) || info
        var buffer = new byte[seed.Length + 2 + info.Length + 1];
        var transcript = new Transcript(buffer);
        transcript.Write(seed);
        transcript.WriteLengthPrefixed(info);
        try
        {
            for (var counter = 0; counter <= byte.MaxValue; counter++)
            {
                buffer[^1] = (byte)counter;
                var candidate = HashToCurve.HashToScalar(buffer, context.DeriveKeyPairDst);
                if (candidate.SignValue != 0)
                {
                    return new OprfKeyPair(candidate);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }

        throw new InvalidOperationException("DeriveKeyPair found no non-zero scalar in 256 attempts.");
    }

    /// <summary>Restores a key pair from the private key bytes that <see cref="ExportPrivateKey"/> wrote.</summary>
    /// <returns>The key pair, or <see cref="OprfStatus.InvalidLength"/>, or <see cref="OprfStatus.InvalidEncoding"/>
    /// when the scalar is zero or not below the group order.</returns>
    public static OprfResult<OprfKeyPair> ImportPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        var status = P256.DecodeScalar(privateKey, out var scalar);
        if (status != OprfStatus.Success)
        {
            return OprfResult<OprfKeyPair>.Failure(status);
        }

        return scalar.SignValue == 0
            ? OprfResult<OprfKeyPair>.Failure(OprfStatus.InvalidEncoding)
            : OprfResult<OprfKeyPair>.Success(new OprfKeyPair(scalar));
    }

    /// <summary>The private key as <see cref="OprfSuite.ScalarLength"/> big-endian bytes (SerializeScalar). Keep it secret.</summary>
    public byte[] ExportPrivateKey() => P256.EncodeScalar(PrivateKey);

    /// <summary>The key id a client computes for a public key it holds; equals <see cref="KeyId"/> of its pair.</summary>
    public static string ComputeKeyId(OprfElement publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(publicKey.Encoded, digest);
        return Convert.ToHexStringLower(digest[..KeyIdBytes]);
    }
}
