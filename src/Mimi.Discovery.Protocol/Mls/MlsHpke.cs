using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Mimi.Discovery.Protocol.Tls;
using Org.BouncyCastle.Security;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// RFC 9180 HPKE in base mode, single-shot (one message, sequence number 0), for the KEM, KDF and AEAD of an RFC 9420
/// cipher suite, and RFC 9420 §5.1.3 <c>EncryptWithLabel</c> / <c>DecryptWithLabel</c> on top. DHKEM over X25519 and
/// X448 uses BouncyCastle (.NET has neither); over the NIST curves it uses .NET's ECDH; HKDF and the AEADs are .NET's.
/// </summary>
public static class MlsHpke
{
    private static readonly byte[] Version = "HPKE-v1"u8.ToArray();

    /// <summary>Whether the HPKE algorithms of <paramref name="suite"/> are implemented here (all seven RFC 9420 suites).</summary>
    public static bool IsSupported(MlsCipherSuite suite) => suite is >= MlsCipherSuite.X25519Aes128GcmSha256Ed25519 and <= MlsCipherSuite.P384Aes256GcmSha384P384;

    /// <summary>A fresh key pair of <paramref name="suite"/>'s KEM.</summary>
    public static MlsHpkeKeyPair GenerateKeyPair(MlsCipherSuite suite) => Algorithms.For(suite).Kem.Generate();

    /// <summary>
    /// RFC 9420 <c>EncryptWithLabel(public_key, label, context, plaintext)</c>: <c>SealBase</c> with the
    /// <c>EncryptContext { "MLS 1.0 " + label, context }</c> as info and empty associated data.
    /// </summary>
    /// <exception cref="CryptographicException">The public key is not a valid key of the suite's KEM.</exception>
    public static HpkeCiphertext EncryptWithLabel(MlsCipherSuite suite, ReadOnlySpan<byte> publicKey, string label, ReadOnlySpan<byte> context, ReadOnlySpan<byte> plaintext)
    {
        var (enc, ciphertext) = Seal(suite, publicKey, EncryptContext(label, context), [], plaintext);
        return new HpkeCiphertext(ByteString.CopyFrom(enc), ByteString.CopyFrom(ciphertext));
    }

    /// <summary>RFC 9420 <c>DecryptWithLabel</c>, the inverse of <see cref="EncryptWithLabel"/>.</summary>
    /// <exception cref="CryptographicException">The ciphertext does not open with this key, label and context.</exception>
    public static byte[] DecryptWithLabel(MlsCipherSuite suite, ReadOnlySpan<byte> privateKey, string label, ReadOnlySpan<byte> context, HpkeCiphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        return Open(suite, privateKey, ciphertext.KemOutput.Span, EncryptContext(label, context), [], ciphertext.Ciphertext.Span);
    }

    /// <summary>RFC 9180 <c>SealBase(pkR, info, aad, pt)</c>: the encapsulated key and the ciphertext.</summary>
    /// <param name="suite">The cipher suite whose KEM, KDF and AEAD apply.</param>
    /// <param name="recipientKey">The recipient's public key (<c>pkR</c>, serialized).</param>
    /// <param name="info">The application info.</param>
    /// <param name="aad">The associated data.</param>
    /// <param name="plaintext">The plaintext.</param>
    /// <param name="ephemeralPrivateKey">The sender's ephemeral private key; only for reproducing published test vectors.</param>
    public static (byte[] Enc, byte[] Ciphertext) Seal(
        MlsCipherSuite suite, ReadOnlySpan<byte> recipientKey, ReadOnlySpan<byte> info, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext,
        byte[]? ephemeralPrivateKey = null)
    {
        var algorithms = Algorithms.For(suite);
        var ephemeral = ephemeralPrivateKey is null ? algorithms.Kem.Generate() : algorithms.Kem.FromPrivate(ephemeralPrivateKey);
        var dh = algorithms.Kem.Agree(ephemeral.PrivateKey, recipientKey);
        var sharedSecret = algorithms.Kem.SharedSecret(dh, [.. ephemeral.PublicKey, .. recipientKey]);
        var (key, nonce) = algorithms.KeySchedule(sharedSecret, info);
        return (ephemeral.PublicKey, algorithms.Seal(key, nonce, aad, plaintext));
    }

    /// <summary>RFC 9180 <c>OpenBase(enc, skR, info, aad, ct)</c>.</summary>
    /// <exception cref="CryptographicException">The ciphertext does not open.</exception>
    public static byte[] Open(
        MlsCipherSuite suite, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> enc, ReadOnlySpan<byte> info, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext)
    {
        var algorithms = Algorithms.For(suite);
        var recipient = algorithms.Kem.FromPrivate(privateKey.ToArray());
        var dh = algorithms.Kem.Agree(recipient.PrivateKey, enc);
        var sharedSecret = algorithms.Kem.SharedSecret(dh, [.. enc, .. recipient.PublicKey]);
        var (key, nonce) = algorithms.KeySchedule(sharedSecret, info);
        return algorithms.Open(key, nonce, aad, ciphertext);
    }

    private static byte[] EncryptContext(string label, ReadOnlySpan<byte> context)
    {
        ArgumentNullException.ThrowIfNull(label);
        using var w = new TlsWriter(label.Length + context.Length + 16);
        w.WriteUtf8("MLS 1.0 " + label, TlsLengthPrefix.Varint);
        w.WriteOpaque(context, TlsLengthPrefix.Varint);
        return w.ToArray();
    }

    // LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm)
    private static byte[] LabeledExtract(HashAlgorithmName hash, byte[] suiteId, ReadOnlySpan<byte> salt, string label, ReadOnlySpan<byte> ikm) =>
        HKDF.Extract(hash, [.. Version, .. suiteId, .. Encoding.ASCII.GetBytes(label), .. ikm], salt.ToArray());

    // LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L)
    private static byte[] LabeledExpand(HashAlgorithmName hash, byte[] suiteId, byte[] prk, string label, ReadOnlySpan<byte> info, int length)
    {
        Span<byte> size = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(size, (ushort)length);
        return HKDF.Expand(hash, prk, length, [.. size, .. Version, .. suiteId, .. Encoding.ASCII.GetBytes(label), .. info]);
    }

    private enum Aead : ushort
    {
        Aes128Gcm = 0x0001,
        Aes256Gcm = 0x0002,
        ChaCha20Poly1305 = 0x0003,
    }

    private sealed record Algorithms(Kem Kem, ushort KdfId, HashAlgorithmName Kdf, Aead Aead)
    {
        private const int TagSize = 16;
        private const int NonceSize = 12;

        public static Algorithms For(MlsCipherSuite suite) => suite switch
        {
            MlsCipherSuite.X25519Aes128GcmSha256Ed25519 => new(Kem.X25519, 0x0001, HashAlgorithmName.SHA256, Aead.Aes128Gcm),
            MlsCipherSuite.P256Aes128GcmSha256P256 => new(Kem.P256, 0x0001, HashAlgorithmName.SHA256, Aead.Aes128Gcm),
            MlsCipherSuite.X25519ChaCha20Poly1305Sha256Ed25519 => new(Kem.X25519, 0x0001, HashAlgorithmName.SHA256, Aead.ChaCha20Poly1305),
            MlsCipherSuite.X448Aes256GcmSha512Ed448 => new(Kem.X448, 0x0003, HashAlgorithmName.SHA512, Aead.Aes256Gcm),
            MlsCipherSuite.P521Aes256GcmSha512P521 => new(Kem.P521, 0x0003, HashAlgorithmName.SHA512, Aead.Aes256Gcm),
            MlsCipherSuite.X448ChaCha20Poly1305Sha512Ed448 => new(Kem.X448, 0x0003, HashAlgorithmName.SHA512, Aead.ChaCha20Poly1305),
            MlsCipherSuite.P384Aes256GcmSha384P384 => new(Kem.P384, 0x0002, HashAlgorithmName.SHA384, Aead.Aes256Gcm),
            _ => throw new NotSupportedException($"Cipher suite {(ushort)suite} has no HPKE algorithms defined."),
        };

        private byte[] SuiteId
        {
            get
            {
                var id = new byte[10];
                "HPKE"u8.CopyTo(id);
                BinaryPrimitives.WriteUInt16BigEndian(id.AsSpan(4), Kem.Id);
                BinaryPrimitives.WriteUInt16BigEndian(id.AsSpan(6), KdfId);
                BinaryPrimitives.WriteUInt16BigEndian(id.AsSpan(8), (ushort)Aead);
                return id;
            }
        }

        private int KeySize => Aead == Aead.Aes128Gcm ? 16 : 32;

        /// <summary>RFC 9180 §5.1 KeySchedule for mode_base (no PSK): the AEAD key and base nonce.</summary>
        public (byte[] Key, byte[] Nonce) KeySchedule(byte[] sharedSecret, ReadOnlySpan<byte> info)
        {
            var suiteId = SuiteId;
            var pskIdHash = LabeledExtract(Kdf, suiteId, [], "psk_id_hash", []);
            var infoHash = LabeledExtract(Kdf, suiteId, [], "info_hash", info);
            byte[] context = [0, .. pskIdHash, .. infoHash];
            var secret = LabeledExtract(Kdf, suiteId, sharedSecret, "secret", []);
            return (LabeledExpand(Kdf, suiteId, secret, "key", context, KeySize), LabeledExpand(Kdf, suiteId, secret, "base_nonce", context, NonceSize));
        }

        public byte[] Seal(byte[] key, byte[] nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext)
        {
            var output = new byte[plaintext.Length + TagSize];
            var ciphertext = output.AsSpan(0, plaintext.Length);
            var tag = output.AsSpan(plaintext.Length);
            if (Aead == Aead.ChaCha20Poly1305)
            {
                using var chacha = new ChaCha20Poly1305(key);
                chacha.Encrypt(nonce, plaintext, ciphertext, tag, aad);
            }
            else
            {
                using var gcm = new AesGcm(key, TagSize);
                gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad);
            }

            return output;
        }

        public byte[] Open(byte[] key, byte[] nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext)
        {
            if (ciphertext.Length < TagSize)
            {
                throw new CryptographicException("The HPKE ciphertext is shorter than its tag.");
            }

            var plaintext = new byte[ciphertext.Length - TagSize];
            var body = ciphertext[..^TagSize];
            var tag = ciphertext[^TagSize..];
            if (Aead == Aead.ChaCha20Poly1305)
            {
                using var chacha = new ChaCha20Poly1305(key);
                chacha.Decrypt(nonce, body, tag, plaintext, aad);
            }
            else
            {
                using var gcm = new AesGcm(key, TagSize);
                gcm.Decrypt(nonce, body, tag, plaintext, aad);
            }

            return plaintext;
        }
    }

    /// <summary>An RFC 9180 §4.1 DHKEM: its id, the hash of its own KDF, and the Diffie-Hellman group.</summary>
    private abstract class Kem(ushort id, HashAlgorithmName hash, int secretSize)
    {
        public static readonly Kem X25519 = new MontgomeryKem(0x0020, HashAlgorithmName.SHA256, 32, Org.BouncyCastle.Math.EC.Rfc7748.X25519.PointSize);
        public static readonly Kem X448 = new MontgomeryKem(0x0021, HashAlgorithmName.SHA512, 64, Org.BouncyCastle.Math.EC.Rfc7748.X448.PointSize);
        public static readonly Kem P256 = new NistKem(0x0010, HashAlgorithmName.SHA256, 32, ECCurve.NamedCurves.nistP256, 32);
        public static readonly Kem P384 = new NistKem(0x0011, HashAlgorithmName.SHA384, 48, ECCurve.NamedCurves.nistP384, 48);
        public static readonly Kem P521 = new NistKem(0x0012, HashAlgorithmName.SHA512, 64, ECCurve.NamedCurves.nistP521, 66);

        public ushort Id => id;

        public abstract MlsHpkeKeyPair Generate();

        /// <summary>The key pair of a serialized private key.</summary>
        public abstract MlsHpkeKeyPair FromPrivate(byte[] privateKey);

        /// <summary>DH(sk, pk), refusing an invalid public key or an all-zero result.</summary>
        public abstract byte[] Agree(byte[] privateKey, ReadOnlySpan<byte> publicKey);

        /// <summary>ExtractAndExpand(dh, kem_context) with the KEM's own suite id.</summary>
        public byte[] SharedSecret(byte[] dh, ReadOnlySpan<byte> kemContext)
        {
            byte[] suiteId = [.. "KEM"u8, (byte)(id >> 8), (byte)id];
            var prk = LabeledExtract(hash, suiteId, [], "eae_prk", dh);
            return LabeledExpand(hash, suiteId, prk, "shared_secret", kemContext, secretSize);
        }
    }

    private sealed class MontgomeryKem(ushort id, HashAlgorithmName hash, int secretSize, int size) : Kem(id, hash, secretSize)
    {
        private static readonly SecureRandom Random = new();

        private bool Is25519 => size == Org.BouncyCastle.Math.EC.Rfc7748.X25519.PointSize;

        public override MlsHpkeKeyPair Generate()
        {
            var privateKey = new byte[size];
            Random.NextBytes(privateKey);
            return FromPrivate(privateKey);
        }

        public override MlsHpkeKeyPair FromPrivate(byte[] privateKey)
        {
            if (privateKey.Length != size)
            {
                throw new CryptographicException($"An HPKE private key of this KEM is {size} bytes.");
            }

            var publicKey = new byte[size];
            if (Is25519)
            {
                Org.BouncyCastle.Math.EC.Rfc7748.X25519.ScalarMultBase(privateKey, 0, publicKey, 0);
            }
            else
            {
                Org.BouncyCastle.Math.EC.Rfc7748.X448.ScalarMultBase(privateKey, 0, publicKey, 0);
            }

            return new MlsHpkeKeyPair(publicKey, privateKey);
        }

        public override byte[] Agree(byte[] privateKey, ReadOnlySpan<byte> publicKey)
        {
            if (publicKey.Length != size)
            {
                throw new CryptographicException($"An HPKE public key of this KEM is {size} bytes, not {publicKey.Length}.");
            }

            var shared = new byte[size];
            var u = publicKey.ToArray();
            var ok = Is25519
                ? Org.BouncyCastle.Math.EC.Rfc7748.X25519.CalculateAgreement(privateKey, 0, u, 0, shared, 0)
                : Org.BouncyCastle.Math.EC.Rfc7748.X448.CalculateAgreement(privateKey, 0, u, 0, shared, 0);
            return ok ? shared : throw new CryptographicException("The HPKE public key gives an all-zero shared secret.");
        }
    }

    private sealed class NistKem(ushort id, HashAlgorithmName hash, int secretSize, ECCurve curve, int coordinateSize) : Kem(id, hash, secretSize)
    {
        public override MlsHpkeKeyPair Generate()
        {
            using var ecdh = ECDiffieHellman.Create(curve);
            var parameters = ecdh.ExportParameters(true);
            return new MlsHpkeKeyPair(Point(parameters.Q), parameters.D!);
        }

        public override MlsHpkeKeyPair FromPrivate(byte[] privateKey)
        {
            if (privateKey.Length != coordinateSize)
            {
                throw new CryptographicException($"An HPKE private key of this KEM is {coordinateSize} bytes.");
            }

            using var ecdh = ECDiffieHellman.Create(new ECParameters { Curve = curve, D = privateKey });
            return new MlsHpkeKeyPair(Point(ecdh.ExportParameters(false).Q), privateKey);
        }

        public override byte[] Agree(byte[] privateKey, ReadOnlySpan<byte> publicKey)
        {
            if (publicKey.Length != 1 + (2 * coordinateSize) || publicKey[0] != 0x04)
            {
                throw new CryptographicException("An HPKE public key of a NIST-curve KEM is an uncompressed point.");
            }

            using var own = ECDiffieHellman.Create(new ECParameters { Curve = curve, D = privateKey });
            using var peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = curve,
                Q = new ECPoint { X = publicKey.Slice(1, coordinateSize).ToArray(), Y = publicKey.Slice(1 + coordinateSize).ToArray() },
            });
            return own.DeriveRawSecretAgreement(peer.PublicKey);
        }

        // .NET exports D and the coordinates at the curve's full size.
        private static byte[] Point(ECPoint q) => [0x04, .. q.X!, .. q.Y!];
    }
}
