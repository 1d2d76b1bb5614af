using System.Security.Cryptography;
using Mimi.Discovery.Protocol.Tls;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// RFC 9420 §5.1.2 <c>SignWithLabel</c> and <c>VerifyWithLabel</c>: signatures over
/// <c>SignContent = { "MLS 1.0 " + label, content }</c> with the signature scheme of an RFC 9420 cipher suite. Ed25519
/// and Ed448 use BouncyCastle (.NET has neither); ECDSA uses .NET with DER-encoded signatures, as MLS encodes them,
/// and accepts public keys as uncompressed or compressed SEC1 points (ts-mls publishes compressed ones).
/// </summary>
public static class MlsSignature
{
    private static readonly Lazy<X9ECParameters> P256 = new(() => CustomNamedCurves.GetByName("P-256"));
    private static readonly Lazy<X9ECParameters> P384 = new(() => CustomNamedCurves.GetByName("P-384"));
    private static readonly Lazy<X9ECParameters> P521 = new(() => CustomNamedCurves.GetByName("P-521"));

    /// <summary>Whether the signature scheme of <paramref name="suite"/> is implemented here.</summary>
    public static bool IsSupported(MlsCipherSuite suite) => suite is >= MlsCipherSuite.X25519Aes128GcmSha256Ed25519 and <= MlsCipherSuite.P384Aes256GcmSha384P384;

    /// <summary>Verifies <paramref name="signature"/> over <c>SignContent(label, content)</c> with <paramref name="publicKey"/>.</summary>
    /// <param name="suite">The cipher suite whose signature scheme applies.</param>
    /// <param name="publicKey">The signature public key as MLS encodes it.</param>
    /// <param name="label">The label without the <c>"MLS 1.0 "</c> prefix, for example <c>"KeyPackageTBS"</c>.</param>
    /// <param name="content">The signed content.</param>
    /// <param name="signature">The signature.</param>
    public static MlsSignatureCheck VerifyWithLabel(
        MlsCipherSuite suite,
        ReadOnlySpan<byte> publicKey,
        string label,
        ReadOnlySpan<byte> content,
        ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (!IsSupported(suite))
        {
            return MlsSignatureCheck.UnsupportedSuite;
        }

        using var w = SignContent(label, content);
        var message = w.WrittenSpan;
        return suite switch
        {
            MlsCipherSuite.X25519Aes128GcmSha256Ed25519 or MlsCipherSuite.X25519ChaCha20Poly1305Sha256Ed25519 => VerifyEd25519(publicKey, message, signature),
            MlsCipherSuite.X448Aes256GcmSha512Ed448 or MlsCipherSuite.X448ChaCha20Poly1305Sha512Ed448 => VerifyEd448(publicKey, message, signature),
            MlsCipherSuite.P256Aes128GcmSha256P256 => VerifyEcdsa(P256.Value, ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256, publicKey, message, signature),
            MlsCipherSuite.P384Aes256GcmSha384P384 => VerifyEcdsa(P384.Value, ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384, publicKey, message, signature),
            _ => VerifyEcdsa(P521.Value, ECCurve.NamedCurves.nistP521, HashAlgorithmName.SHA512, publicKey, message, signature),
        };
    }

    /// <summary>Signs <c>SignContent(label, content)</c> with <paramref name="privateKey"/>: the MLS <c>SignWithLabel</c>.</summary>
    /// <param name="suite">The cipher suite whose signature scheme applies.</param>
    /// <param name="privateKey">
    /// The signature private key as MLS encodes it: the 32- or 57-byte seed for Ed25519 or Ed448, the big-endian scalar
    /// for ECDSA.
    /// </param>
    /// <param name="label">The label without the <c>"MLS 1.0 "</c> prefix, for example <c>"KeyMaterialRequestTBS"</c>.</param>
    /// <param name="content">The content to sign.</param>
    /// <returns>The signature (DER for ECDSA).</returns>
    /// <exception cref="NotSupportedException">The suite's signature scheme is not implemented here.</exception>
    /// <exception cref="ArgumentException">The private key is not a key of the suite's signature scheme.</exception>
    public static byte[] SignWithLabel(MlsCipherSuite suite, ReadOnlySpan<byte> privateKey, string label, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (!IsSupported(suite))
        {
            throw new NotSupportedException($"The signature scheme of cipher suite {(ushort)suite} is not implemented.");
        }

        using var w = SignContent(label, content);
        var message = w.WrittenSpan.ToArray();
        return suite switch
        {
            MlsCipherSuite.X25519Aes128GcmSha256Ed25519 or MlsCipherSuite.X25519ChaCha20Poly1305Sha256Ed25519 => SignEd25519(privateKey, message),
            MlsCipherSuite.X448Aes256GcmSha512Ed448 or MlsCipherSuite.X448ChaCha20Poly1305Sha512Ed448 => SignEd448(privateKey, message),
            MlsCipherSuite.P256Aes128GcmSha256P256 => SignEcdsa(P256.Value, ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256, privateKey, message),
            MlsCipherSuite.P384Aes256GcmSha384P384 => SignEcdsa(P384.Value, ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384, privateKey, message),
            _ => SignEcdsa(P521.Value, ECCurve.NamedCurves.nistP521, HashAlgorithmName.SHA512, privateKey, message),
        };
    }

    private static byte[] SignEd25519(ReadOnlySpan<byte> privateKey, byte[] message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(SizedKey(privateKey, Ed25519.SecretKeySize), 0, message, 0, message.Length, signature, 0);
        return signature;
    }

    // Pure Ed448 with an empty context, as RFC 9420 uses it.
    private static byte[] SignEd448(ReadOnlySpan<byte> privateKey, byte[] message)
    {
        var signature = new byte[Ed448.SignatureSize];
        Ed448.Sign(SizedKey(privateKey, Ed448.SecretKeySize), 0, [], message, 0, message.Length, signature, 0);
        return signature;
    }

    private static TlsWriter SignContent(string label, ReadOnlySpan<byte> content)
    {
        var w = new TlsWriter(content.Length + label.Length + 16);
        w.WriteUtf8("MLS 1.0 " + label, TlsLengthPrefix.Varint);
        w.WriteOpaque(content, TlsLengthPrefix.Varint);
        return w;
    }

    private static byte[] SizedKey(ReadOnlySpan<byte> key, int size) =>
        key.Length == size ? key.ToArray() : throw new ArgumentException($"The private key must be {size} bytes (got {key.Length}).", nameof(key));

    private static byte[] SignEcdsa(X9ECParameters curve, ECCurve dotnetCurve, HashAlgorithmName hash, ReadOnlySpan<byte> privateKey, byte[] message)
    {
        var size = (curve.Curve.FieldSize + 7) / 8;
        var d = new Org.BouncyCastle.Math.BigInteger(1, SizedKey(privateKey, size));
        if (d.SignValue <= 0 || d.CompareTo(curve.N) >= 0)
        {
            throw new ArgumentException("The private key is not a scalar of the curve.", nameof(privateKey));
        }

        // .NET wants the public point with the scalar; derive it rather than trust the platform to.
        var q = curve.G.Multiply(d).Normalize();
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = dotnetCurve,
            D = SizedKey(privateKey, size),
            Q = new ECPoint { X = q.AffineXCoord.GetEncoded(), Y = q.AffineYCoord.GetEncoded() },
        });
        return ecdsa.SignData(message, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static MlsSignatureCheck VerifyEd25519(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != Ed25519.PublicKeySize)
        {
            return MlsSignatureCheck.BadKey;
        }

        if (signature.Length != Ed25519.SignatureSize)
        {
            return MlsSignatureCheck.Invalid;
        }

        return Ed25519.Verify(signature.ToArray(), 0, publicKey.ToArray(), 0, message.ToArray(), 0, message.Length)
            ? MlsSignatureCheck.Valid
            : MlsSignatureCheck.Invalid;
    }

    private static MlsSignatureCheck VerifyEd448(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != Ed448.PublicKeySize)
        {
            return MlsSignatureCheck.BadKey;
        }

        if (signature.Length != Ed448.SignatureSize)
        {
            return MlsSignatureCheck.Invalid;
        }

        // Pure Ed448 with an empty context, as RFC 9420 uses it.
        return Ed448.Verify(signature.ToArray(), 0, publicKey.ToArray(), 0, [], message.ToArray(), 0, message.Length)
            ? MlsSignatureCheck.Valid
            : MlsSignatureCheck.Invalid;
    }

    private static MlsSignatureCheck VerifyEcdsa(
        X9ECParameters curve,
        ECCurve dotnetCurve,
        HashAlgorithmName hash,
        ReadOnlySpan<byte> publicKey,
        ReadOnlySpan<byte> message,
        ReadOnlySpan<byte> signature)
    {
        if (!TryDecodePoint(curve, publicKey, out var x, out var y))
        {
            return MlsSignatureCheck.BadKey;
        }

        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = dotnetCurve, Q = new ECPoint { X = x, Y = y } });
            return ecdsa.VerifyData(message, signature, hash, DSASignatureFormat.Rfc3279DerSequence)
                ? MlsSignatureCheck.Valid
                : MlsSignatureCheck.Invalid;
        }
        catch (CryptographicException)
        {
            return MlsSignatureCheck.BadKey;
        }
    }

    // SEC1 point (0x04 || X || Y, or 0x02/0x03 || X) to affine coordinates, checked to be on the curve.
    private static bool TryDecodePoint(X9ECParameters curve, ReadOnlySpan<byte> encoded, out byte[] x, out byte[] y)
    {
        x = [];
        y = [];
        var size = (curve.Curve.FieldSize + 7) / 8;
        if (encoded.Length != 1 + size && encoded.Length != 1 + (2 * size))
        {
            return false;
        }

        try
        {
            var point = curve.Curve.DecodePoint(encoded.ToArray()).Normalize();
            if (point.IsInfinity || !point.IsValid())
            {
                return false;
            }

            x = point.AffineXCoord.GetEncoded();
            y = point.AffineYCoord.GetEncoded();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
