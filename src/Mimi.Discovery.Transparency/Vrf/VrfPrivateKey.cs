using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using BigInteger = Org.BouncyCastle.Math.BigInteger;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// An ECVRF-P256-SHA256-TAI secret key: the P-256 scalar x, with its public key. Proves and evaluates the VRF
/// (RFC 9381 §5.1, §5.2). Safe to share between threads; <see cref="Dispose"/> drops the scalar.
/// </summary>
public sealed class VrfPrivateKey : IDisposable
{
    private const string PemLabel = "PRIVATE KEY";
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private BigInteger? _scalar;

    private VrfPrivateKey(BigInteger scalar, VrfPublicKey publicKey)
    {
        _scalar = scalar;
        PublicKey = publicKey;
    }

    /// <summary>The public key Y = x·B that proofs verify against.</summary>
    public VrfPublicKey PublicKey { get; }

    private BigInteger Scalar => _scalar ?? throw new ObjectDisposedException(nameof(VrfPrivateKey));

    /// <summary>A fresh key from the system's cryptographic random number generator.</summary>
    public static VrfPrivateKey Generate() => FromScalar(VrfCurve.RandomNonZeroScalar());

    /// <summary>
    /// Reads a key from the first PEM block labelled <c>PRIVATE KEY</c> (unencrypted PKCS#8, curve P-256): the
    /// form <c>ECDsa.ExportPkcs8PrivateKeyPem</c> writes, and <see cref="ToPkcs8Pem"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="pem"/> holds no such block, or its key is not a P-256
    /// key with a scalar in [1, q).</exception>
    public static VrfPrivateKey FromPkcs8Pem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Label].SequenceEqual(PemLabel))
        {
            throw new ArgumentException("The text holds no PEM block labelled PRIVATE KEY.", nameof(pem));
        }

        return FromPkcs8(Convert.FromBase64String(pem[fields.Base64Data]));
    }

    /// <summary>Every <c>PRIVATE KEY</c> PEM block of <paramref name="pem"/>, in order (other blocks are skipped).</summary>
    /// <exception cref="ArgumentException">A <c>PRIVATE KEY</c> block is not a P-256 key.</exception>
    internal static List<VrfPrivateKey> AllFromPkcs8Pem(string pem)
    {
        var keys = new List<VrfPrivateKey>();
        var rest = pem.AsMemory();
        try
        {
            while (PemEncoding.TryFind(rest.Span, out var fields))
            {
                if (rest.Span[fields.Label].SequenceEqual(PemLabel))
                {
                    keys.Add(FromPkcs8(Convert.FromBase64String(rest.Span[fields.Base64Data].ToString())));
                }

                rest = rest[fields.Location.End..];
            }
        }
        catch
        {
            keys.ForEach(key => key.Dispose());
            throw;
        }

        return keys;
    }

    /// <summary>The key as an unencrypted PKCS#8 PEM block (label <c>PRIVATE KEY</c>, curve P-256). Keep it secret.</summary>
    public string ToPkcs8Pem()
    {
        var d = new byte[VrfCurve.ScalarLength];
        VrfCurve.WriteInteger(Scalar, d);
        var y = PublicKey.Point;
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = d,
            Q = new System.Security.Cryptography.ECPoint
            {
                X = y.AffineXCoord.GetEncoded(),
                Y = y.AffineYCoord.GetEncoded(),
            },
        };
        try
        {
            using var key = ECDsa.Create(parameters);
            return key.ExportPkcs8PrivateKeyPem();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }

    /// <summary>
    /// ECVRF_prove (RFC 9381 §5.1): the proof pi that this key maps <paramref name="alpha"/> to its output; the
    /// output is <see cref="EcVrf.TryProofToHash"/> of the proof. Deterministic: the nonce follows RFC 6979.
    /// </summary>
    /// <returns>The <see cref="EcVrf.ProofLength"/> bytes of pi.</returns>
    public byte[] Prove(ReadOnlySpan<byte> alpha)
    {
        var x = Scalar;
        var h = HashToCurve(alpha);

        Span<byte> hString = stackalloc byte[VrfCurve.PointLength];
        VrfCurve.WritePoint(h, hString);
        var k = Nonce(x, hString);

        // Gamma and V multiply the same H instance, so the second reuses the window table the first built.
        ECPoint[] points = [PublicKey.Point, h, VrfCurve.TimesSecret(h, x), VrfCurve.TimesGenerator(k), VrfCurve.TimesSecret(h, k)];
        VrfCurve.Curve.NormalizeAll(points);
        Span<byte> challenge = stackalloc byte[EcVrf.ChallengeLength];
        EcVrf.Challenge(points, challenge);
        var s = k.Add(new BigInteger(1, challenge).Multiply(x)).Mod(VrfCurve.Order);
        return EcVrf.EncodeProof(points[2], challenge, s);
    }

    /// <summary>
    /// The VRF output beta of <paramref name="alpha"/> without a proof: encode_to_curve and one multiplication,
    /// equal to the output of <see cref="Prove"/> for the same input.
    /// </summary>
    /// <returns>The <see cref="EcVrf.OutputLength"/> bytes of beta.</returns>
    public byte[] Evaluate(ReadOnlySpan<byte> alpha)
    {
        var gamma = VrfCurve.TimesSecret(HashToCurve(alpha), Scalar);
        var beta = new byte[EcVrf.OutputLength];
        EcVrf.ProofToHash(gamma, beta);
        return beta;
    }

    /// <summary>Drops the scalar; the key cannot prove or evaluate afterwards.</summary>
    public void Dispose() => _scalar = null;

    /// <summary>A key from a raw 32-byte big-endian scalar in [1, q) (RFC 9381's SK for this suite).</summary>
    /// <exception cref="ArgumentException">The bytes are not such a scalar.</exception>
    internal static VrfPrivateKey FromScalar(ReadOnlySpan<byte> secretKey)
    {
        var value = new BigInteger(1, secretKey);
        if (secretKey.Length != VrfCurve.ScalarLength || value.SignValue == 0 || value.CompareTo(VrfCurve.Order) >= 0)
        {
            throw new ArgumentException("A VRF secret key is a 32-byte big-endian integer in [1, q).", nameof(secretKey));
        }

        return FromScalar(value);
    }

    /// <summary>An independent instance holding the same scalar, so two key rings can be disposed apart.</summary>
    internal VrfPrivateKey Copy() => new(Scalar, PublicKey);

    private static VrfPrivateKey FromScalar(BigInteger scalar) =>
        new(scalar, VrfPublicKey.FromPoint(VrfCurve.TimesGenerator(scalar).Normalize()));

    private static VrfPrivateKey FromPkcs8(byte[] der)
    {
        byte[]? d = null;
        try
        {
            using var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(der, out var read);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            d = parameters.D;
            if (read != der.Length || !parameters.Curve.IsNamed || parameters.Curve.Oid.Value != P256Oid || d is null)
            {
                throw new ArgumentException("The PRIVATE KEY block is not a P-256 key.");
            }

            return FromScalar(d);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException("The PRIVATE KEY block is not a PKCS#8 EC private key.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
            if (d is not null)
            {
                CryptographicOperations.ZeroMemory(d);
            }
        }
    }

    private ECPoint HashToCurve(ReadOnlySpan<byte> alpha) =>
        EcVrf.EncodeToCurve(PublicKey.EncodedSpan, alpha)
        ?? throw new CryptographicException("encode_to_curve found no point in 256 tries.");

    /// <summary>ECVRF_nonce_generation_RFC6979 (§5.4.2.1): RFC 6979 §3.2 with SHA-256 over m = point_to_string(H).</summary>
    private static BigInteger Nonce(BigInteger x, ReadOnlySpan<byte> hString)
    {
        var calculator = new HMacDsaKCalculator(new Sha256Digest());
        calculator.Init(VrfCurve.Order, x, SHA256.HashData(hString));
        return calculator.NextK();
    }
}
