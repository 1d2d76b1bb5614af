using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// An ECVRF-P256-SHA256-TAI public key Y: a P-256 point, named by a key id. Verifies proofs and yields their
/// outputs. Immutable and safe to share between threads.
/// </summary>
public sealed class VrfPublicKey
{
    private const int KeyIdBytes = 8;

    private readonly byte[] _encoded;

    // −Y as one long-lived instance: verification multiplies it every time, and its window table stays cached on it.
    private readonly ECPoint _negated;

    private VrfPublicKey(ECPoint point, byte[] encoded)
    {
        Point = point;
        _negated = point.Negate().Normalize();
        _encoded = encoded;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(encoded, digest);
        KeyId = Convert.ToHexStringLower(digest[..KeyIdBytes]);
    }

    /// <summary>A copy of the 33-byte SEC1 compressed encoding (PK_string).</summary>
    public byte[] Encoded => (byte[])_encoded.Clone();

    /// <summary>Lowercase hexadecimal of the first 8 bytes of SHA-256(<see cref="Encoded"/>): 16 characters.</summary>
    public string KeyId { get; }

    /// <summary>Y in affine form; multiplying this instance reuses its cached window table.</summary>
    internal ECPoint Point { get; }

    internal ReadOnlySpan<byte> EncodedSpan => _encoded;

    /// <summary>
    /// Reads a public key: 33 bytes, 0x02 or 0x03 then x below p, with a point on P-256 for that x. The identity
    /// has no 33-byte encoding, and P-256's cofactor is 1, so nothing else needs checking. Never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> compressed33, [NotNullWhen(true)] out VrfPublicKey? key)
    {
        var point = VrfCurve.TryReadPoint(compressed33);
        key = point is null ? null : new VrfPublicKey(point, compressed33.ToArray());
        return key is not null;
    }

    /// <summary>
    /// ECVRF_verify (RFC 9381 §5.3): whether <paramref name="proof"/> shows that this key's VRF maps
    /// <paramref name="alpha"/> to the output written to <paramref name="beta"/>.
    /// </summary>
    /// <param name="alpha">The input (for identifier indexes: the UTF-8 of the normalized SII).</param>
    /// <param name="proof">The proof pi, <see cref="EcVrf.ProofLength"/> bytes.</param>
    /// <param name="beta">Receives the <see cref="EcVrf.OutputLength"/> bytes of beta when the proof is valid;
    /// left unspecified otherwise.</param>
    /// <returns>False for any malformed or invalid proof; never throws for any <paramref name="alpha"/> or
    /// <paramref name="proof"/> bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="beta"/> is shorter than <see cref="EcVrf.OutputLength"/>.</exception>
    public bool Verify(ReadOnlySpan<byte> alpha, ReadOnlySpan<byte> proof, Span<byte> beta)
    {
        EcVrf.RequireOutputSpace(beta);
        if (!EcVrf.TryDecodeProof(proof, out var gamma, out var c, out var s) ||
            EcVrf.EncodeToCurve(_encoded, alpha) is not { } h)
        {
            return false;
        }

        // U = s·B − c·Y and V = s·H − c·Gamma, each in one interleaved pass.
        var u = ECAlgorithms.SumOfTwoMultiplies(VrfCurve.Generator, s, _negated, c);
        var v = ECAlgorithms.SumOfTwoMultiplies(h, s, gamma.Negate(), c);
        if (u.IsInfinity || v.IsInfinity)
        {
            return false;
        }

        ECPoint[] points = [Point, h, gamma, u, v];
        VrfCurve.Curve.NormalizeAll(points);
        Span<byte> expected = stackalloc byte[EcVrf.ChallengeLength];
        EcVrf.Challenge(points, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, proof.Slice(VrfCurve.PointLength, EcVrf.ChallengeLength)))
        {
            return false;
        }

        EcVrf.ProofToHash(gamma, beta);
        return true;
    }

    internal static VrfPublicKey FromPoint(ECPoint normalized)
    {
        var encoded = new byte[VrfCurve.PointLength];
        VrfCurve.WritePoint(normalized, encoded);
        return new VrfPublicKey(normalized, encoded);
    }
}
