using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// RFC 9381 ECVRF with the suite ECVRF-P256-SHA256-TAI (suite string 0x01): P-256, SHA-256, try-and-increment
/// encode_to_curve salted with the public key, RFC 6979 nonces, 16-byte challenges. Keys are
/// <see cref="VrfPrivateKey"/> and <see cref="VrfPublicKey"/>; this class holds the suite's sizes and
/// proof_to_hash.
/// </summary>
public static class EcVrf
{
    /// <summary>The suite's name in RFC 9381 §5.5.</summary>
    public const string SuiteName = "ECVRF-P256-SHA256-TAI";

    /// <summary>Length of a proof pi: Gamma (33 bytes) ‖ c (16) ‖ s (32).</summary>
    public const int ProofLength = VrfCurve.PointLength + ChallengeLength + VrfCurve.ScalarLength;

    /// <summary>Length of an output beta (a SHA-256 digest).</summary>
    public const int OutputLength = 32;

    internal const byte SuiteString = 0x01;

    internal const int ChallengeLength = 16;

    private const byte EncodeToCurveFront = 0x01;
    private const byte ChallengeFront = 0x02;
    private const byte ProofToHashFront = 0x03;
    private const byte Back = 0x00;

    /// <summary>
    /// ECVRF_proof_to_hash: the output beta of a proof, without checking the proof against any key or input. Use
    /// it only on a proof already verified (or produced here); <see cref="VrfPublicKey.Verify"/> gives beta too.
    /// </summary>
    /// <param name="proof">A proof of <see cref="ProofLength"/> bytes.</param>
    /// <param name="beta">Receives the <see cref="OutputLength"/> bytes of beta.</param>
    /// <returns>False when the proof is not well formed (length, Gamma not on the curve, s not below the group
    /// order); never throws for any proof bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="beta"/> is shorter than <see cref="OutputLength"/>.</exception>
    public static bool TryProofToHash(ReadOnlySpan<byte> proof, Span<byte> beta)
    {
        RequireOutputSpace(beta);
        if (!TryDecodeProof(proof, out var gamma, out _, out _))
        {
            return false;
        }

        ProofToHash(gamma, beta);
        return true;
    }

    internal static void RequireOutputSpace(Span<byte> beta)
    {
        if (beta.Length < OutputLength)
        {
            throw new ArgumentException($"beta needs {OutputLength} bytes.", nameof(beta));
        }
    }

    /// <summary>beta = SHA-256(suite ‖ 0x03 ‖ point_to_string(Gamma) ‖ 0x00); the cofactor is 1.</summary>
    internal static void ProofToHash(ECPoint gamma, Span<byte> beta)
    {
        Span<byte> input = stackalloc byte[2 + VrfCurve.PointLength + 1];
        input[0] = SuiteString;
        input[1] = ProofToHashFront;
        VrfCurve.WritePoint(gamma.Normalize(), input[2..]);
        input[^1] = Back;
        SHA256.HashData(input, beta[..OutputLength]);
    }

    /// <summary>
    /// encode_to_curve by try and increment (§5.4.1.1): the first ctr in 0..255 for which
    /// SHA-256(suite ‖ 0x01 ‖ PK ‖ alpha ‖ ctr ‖ 0x00), read as the x of a point with even y, is on the curve.
    /// Null when no ctr works (probability about 2⁻²⁵⁶).
    /// </summary>
    internal static ECPoint? EncodeToCurve(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> alpha)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ReadOnlySpan<byte> front = [SuiteString, EncodeToCurveFront];
        Span<byte> tail = stackalloc byte[2];
        Span<byte> candidate = stackalloc byte[VrfCurve.PointLength];
        candidate[0] = 0x02;
        for (var ctr = 0; ctr <= byte.MaxValue; ctr++)
        {
            hash.AppendData(front);
            hash.AppendData(publicKey);
            hash.AppendData(alpha);
            tail[0] = (byte)ctr;
            tail[1] = Back;
            hash.AppendData(tail);
            hash.GetHashAndReset(candidate[1..]);
            if (VrfCurve.TryReadPoint(candidate) is { } point)
            {
                return point;
            }
        }

        return null;
    }

    /// <summary>challenge_generation (§5.4.3): the first 16 bytes of SHA-256(suite ‖ 0x02 ‖ P1 … P5 ‖ 0x00).</summary>
    /// <param name="points">The five points Y, H, Gamma, U, V, normalized and finite.</param>
    /// <param name="challenge">Receives the 16 challenge bytes.</param>
    internal static void Challenge(ReadOnlySpan<ECPoint> points, Span<byte> challenge)
    {
        Span<byte> input = stackalloc byte[2 + 5 * VrfCurve.PointLength + 1];
        input[0] = SuiteString;
        input[1] = ChallengeFront;
        for (var i = 0; i < points.Length; i++)
        {
            VrfCurve.WritePoint(points[i], input.Slice(2 + i * VrfCurve.PointLength, VrfCurve.PointLength));
        }

        input[^1] = Back;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, digest);
        digest[..ChallengeLength].CopyTo(challenge);
    }

    /// <summary>decode_proof (§5.4.4): Gamma on the curve, c, and s below the group order; never throws.</summary>
    internal static bool TryDecodeProof(ReadOnlySpan<byte> proof, out ECPoint gamma, out BigInteger c, out BigInteger s)
    {
        gamma = VrfCurve.Generator;
        c = BigInteger.Zero;
        s = BigInteger.Zero;
        if (proof.Length != ProofLength || VrfCurve.TryReadPoint(proof[..VrfCurve.PointLength]) is not { } point)
        {
            return false;
        }

        var scalar = new BigInteger(1, proof[(VrfCurve.PointLength + ChallengeLength)..]);
        if (scalar.CompareTo(VrfCurve.Order) >= 0)
        {
            return false;
        }

        gamma = point;
        c = new BigInteger(1, proof.Slice(VrfCurve.PointLength, ChallengeLength));
        s = scalar;
        return true;
    }

    /// <summary>pi = point_to_string(Gamma) ‖ int_to_string(c, 16) ‖ int_to_string(s, 32).</summary>
    internal static byte[] EncodeProof(ECPoint gamma, ReadOnlySpan<byte> challenge, BigInteger s)
    {
        var proof = new byte[ProofLength];
        VrfCurve.WritePoint(gamma, proof);
        challenge.CopyTo(proof.AsSpan(VrfCurve.PointLength, ChallengeLength));
        VrfCurve.WriteInteger(s, proof.AsSpan(VrfCurve.PointLength + ChallengeLength));
        return proof;
    }
}
