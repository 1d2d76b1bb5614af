using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Mimi.Discovery.Oprf;

/// <summary>
/// The discrete-log-equivalence proof of RFC 9497 §2.2, batched, with A = G and B = pkS: it shows that
/// log_G(pkS) = log_C(D) for every blinded element C and its evaluation D.
/// </summary>
internal static class Dleq
{
    private const int SeedLength = 32;
    private const int CompositeTranscriptLength = 2 + SeedLength + 2 + 2 * (2 + OprfSuite.ElementLength) + 9;
    private const int ChallengeTranscriptLength = 5 * (2 + OprfSuite.ElementLength) + 9;

    /// <summary>seed = Hash(I2OSP(len(Bm), 2) || Bm || I2OSP(len(seedDST), 2) || seedDST): fixed per key and mode.</summary>
    internal static byte[] ComputeSeed(OprfElement publicKey, OprfContext context)
    {
        Span<byte> buffer = stackalloc byte[2 + OprfSuite.ElementLength + 2 + context.SeedDst.Length];
        var transcript = new Transcript(buffer);
        transcript.WriteLengthPrefixed(publicKey.Encoded);
        transcript.WriteLengthPrefixed(context.SeedDst);
        return SHA256.HashData(transcript.Written);
    }

    /// <summary>
    /// GenerateProof with ComputeCompositesFast: the prover knows k, so Z = k·M instead of Σ dᵢ·Dᵢ.
    /// </summary>
    internal static OprfProof Generate(
        BigInteger k,
        OprfElement publicKey,
        byte[] seed,
        IReadOnlyList<OprfElement> blinded,
        OprfElement[] evaluated,
        BigInteger r,
        OprfContext context)
    {
        var m = Composite(seed, blinded, evaluated, evaluated.Length, context, useEvaluated: false);
        var points = new ECPoint[]
        {
            m,
            P256.MultiplySecret(m, k),
            P256.MultiplyGenerator(r),
            P256.MultiplySecret(m, r),
        };
        var elements = new OprfElement[points.Length];
        OprfElement.FromPoints(points, elements, points.Length);

        var c = Challenge(publicKey, elements[0], elements[1], elements[2], elements[3], context);
        var s = r.Subtract(c.Multiply(k)).Mod(P256.Order);
        return new OprfProof(c, s);
    }

    /// <summary>VerifyProof with ComputeComposites: the verifier forms Z = Σ dᵢ·Dᵢ itself.</summary>
    internal static bool Verify(
        OprfElement publicKey,
        byte[] seed,
        IReadOnlyList<OprfElement> blinded,
        IReadOnlyList<OprfElement> evaluated,
        OprfProof proof,
        OprfContext context)
    {
        var count = blinded.Count;
        var m = Composite(seed, blinded, evaluated, count, context, useEvaluated: false);
        var z = Composite(seed, blinded, evaluated, count, context, useEvaluated: true);
        var points = new ECPoint[]
        {
            m,
            z,
            P256.SumOfTwoMultiplies(P256.Generator, proof.S, publicKey.Point, proof.C),
            P256.SumOfTwoMultiplies(m, proof.S, z, proof.C),
        };
        foreach (var point in points)
        {
            if (point.IsInfinity)
            {
                return false;
            }
        }

        var elements = new OprfElement[points.Length];
        OprfElement.FromPoints(points, elements, points.Length);
        var expected = Challenge(publicKey, elements[0], elements[1], elements[2], elements[3], context);
        return expected.Equals(proof.C);
    }

    /// <summary>Σ dᵢ·Cᵢ (or Σ dᵢ·Dᵢ), with dᵢ hashed from the seed, i, Cᵢ and Dᵢ.</summary>
    private static ECPoint Composite(
        byte[] seed,
        IReadOnlyList<OprfElement> blinded,
        IReadOnlyList<OprfElement> evaluated,
        int count,
        OprfContext context,
        bool useEvaluated)
    {
        if (count == 1)
        {
            // One term: multiply the same point instance again, reusing the window table the evaluation built.
            var d = CompositeScalar(seed, 0, blinded[0], evaluated[0], context);
            return P256.MultiplyPublic((useEvaluated ? evaluated[0] : blinded[0]).Point, d);
        }

        var points = new ECPoint[count];
        var scalars = new BigInteger[count];
        for (var i = 0; i < count; i++)
        {
            points[i] = (useEvaluated ? evaluated[i] : blinded[i]).Point;
            scalars[i] = CompositeScalar(seed, i, blinded[i], evaluated[i], context);
        }

        return P256.SumOfMultiplies(points, scalars);
    }

    /// <summary>
    /// dᵢ = HashToScalar(I2OSP(len(seed), 2) || seed || I2OSP(i, 2) || I2OSP(len(Cᵢ), 2) || Cᵢ ||
    /// I2OSP(len(Dᵢ), 2) || Dᵢ || "Composite").
    /// </summary>
    private static BigInteger CompositeScalar(byte[] seed, int index, OprfElement c, OprfElement d, OprfContext context)
    {
        Span<byte> buffer = stackalloc byte[CompositeTranscriptLength];
        var transcript = new Transcript(buffer);
        transcript.WriteLengthPrefixed(seed);
        transcript.WriteUInt16(index);
        transcript.WriteLengthPrefixed(c.Encoded);
        transcript.WriteLengthPrefixed(d.Encoded);
        transcript.Write(OprfContext.CompositeLabel);
        return HashToCurve.HashToScalar(transcript.Written, context.HashToScalarDst);
    }

    /// <summary>c = HashToScalar(Bm, M, Z, t2, t3, each length-prefixed, || "Challenge").</summary>
    private static BigInteger Challenge(
        OprfElement publicKey,
        OprfElement m,
        OprfElement z,
        OprfElement t2,
        OprfElement t3,
        OprfContext context)
    {
        Span<byte> buffer = stackalloc byte[ChallengeTranscriptLength];
        var transcript = new Transcript(buffer);
        transcript.WriteLengthPrefixed(publicKey.Encoded);
        transcript.WriteLengthPrefixed(m.Encoded);
        transcript.WriteLengthPrefixed(z.Encoded);
        transcript.WriteLengthPrefixed(t2.Encoded);
        transcript.WriteLengthPrefixed(t3.Encoded);
        transcript.Write(OprfContext.ChallengeLabel);
        return HashToCurve.HashToScalar(transcript.Written, context.HashToScalarDst);
    }
}
