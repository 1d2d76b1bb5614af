using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Utilities;
using ECCurve = Org.BouncyCastle.Math.EC.ECCurve;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Mimi.Discovery.Oprf;

/// <summary>The prime-order group of RFC 9497 §4.3: P-256 with its serialization rules.</summary>
internal static class P256
{
    private const byte EvenPrefix = 0x02;
    private const byte OddPrefix = 0x03;

    private static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("P-256");

    // One multiplier, one generator instance: the comb table is cached on that instance.
    private static readonly FixedPointCombMultiplier Comb = new();

    internal static readonly ECCurve Curve = Parameters.Curve;
    internal static readonly ECPoint Generator = Parameters.G.Normalize();
    internal static readonly BigInteger Order = Parameters.N;
    internal static readonly BigInteger FieldPrime = Curve.Field.Characteristic;

    // Every scalar multiplication goes through this class and is counted, so a test can hold the server to
    // OprfSuite.ScalarMultiplicationsPerEvaluation. A thread-static increment costs nothing next to a multiplication.
    [ThreadStatic]
    private static long _multiplications;

    /// <summary>Scalar multiplications (single or multi-scalar) performed on the calling thread so far.</summary>
    internal static long MultiplicationsOnThisThread => _multiplications;

    /// <summary>k·G on the fixed-base comb; k must lie in [0, n).</summary>
    internal static ECPoint MultiplyGenerator(BigInteger k)
    {
        _multiplications++;
        return Comb.Multiply(Generator, k);
    }

    /// <summary>k·P for a public k.</summary>
    internal static ECPoint MultiplyPublic(ECPoint point, BigInteger k)
    {
        _multiplications++;
        return point.Multiply(k);
    }

    /// <summary>Σ kᵢ·Pᵢ in one interleaved pass (public scalars).</summary>
    internal static ECPoint SumOfMultiplies(ECPoint[] points, BigInteger[] scalars)
    {
        _multiplications++;
        return ECAlgorithms.SumOfMultiplies(points, scalars);
    }

    /// <summary>a·P + b·Q in one interleaved pass (public scalars).</summary>
    internal static ECPoint SumOfTwoMultiplies(ECPoint p, BigInteger a, ECPoint q, BigInteger b)
    {
        _multiplications++;
        return ECAlgorithms.SumOfTwoMultiplies(p, a, q, b);
    }

    /// <summary>
    /// k·P for a secret k. The multiplier's running time follows the scalar's bit length, so the scalar is first
    /// lifted to k + n or k + 2n, whichever has exactly one bit more than n: the same point, a constant length.
    /// </summary>
    internal static ECPoint MultiplySecret(ECPoint point, BigInteger k)
    {
        var lifted = k.Add(Order);
        if (lifted.BitLength <= Order.BitLength)
        {
            lifted = lifted.Add(Order);
        }

        _multiplications++;
        return point.Multiply(lifted);
    }

    internal static BigInteger RandomScalar()
    {
        Span<byte> bytes = stackalloc byte[OprfSuite.ScalarLength];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var candidate = new BigInteger(1, bytes);
            CryptographicOperations.ZeroMemory(bytes);
            if (candidate.SignValue > 0 && candidate.CompareTo(Order) < 0)
            {
                return candidate;
            }
        }
    }

    internal static void EncodeScalar(BigInteger scalar, Span<byte> destination) =>
        BigIntegers.AsUnsignedByteArray(scalar, destination[..OprfSuite.ScalarLength]);

    internal static byte[] EncodeScalar(BigInteger scalar)
    {
        var bytes = new byte[OprfSuite.ScalarLength];
        EncodeScalar(scalar, bytes);
        return bytes;
    }

    /// <summary>DeserializeScalar: 32 big-endian bytes of a value below the group order.</summary>
    internal static OprfStatus DecodeScalar(ReadOnlySpan<byte> encoded, out BigInteger scalar)
    {
        scalar = BigInteger.Zero;
        if (encoded.Length != OprfSuite.ScalarLength)
        {
            return OprfStatus.InvalidLength;
        }

        var value = new BigInteger(1, encoded);
        if (value.CompareTo(Order) >= 0)
        {
            return OprfStatus.InvalidEncoding;
        }

        scalar = value;
        return OprfStatus.Success;
    }

    /// <summary>
    /// DeserializeElement: a compressed SEC1 point on P-256 other than the identity. P-256 has cofactor 1, so
    /// every point on the curve lies in the prime-order group; no subgroup check is needed.
    /// </summary>
    internal static OprfStatus DecodeElement(ReadOnlySpan<byte> encoded, out ECPoint? point)
    {
        point = null;
        if (encoded.Length != OprfSuite.ElementLength)
        {
            return encoded.Length == 1 && encoded[0] == 0 ? OprfStatus.Identity : OprfStatus.InvalidLength;
        }

        var prefix = encoded[0];
        if (prefix != EvenPrefix && prefix != OddPrefix)
        {
            return OprfStatus.InvalidEncoding;
        }

        var x = new BigInteger(1, encoded[1..]);
        if (x.CompareTo(FieldPrime) >= 0)
        {
            return OprfStatus.InvalidEncoding;
        }

        var fx = Curve.FromBigInteger(x);
        var y = fx.Square().Add(Curve.A).Multiply(fx).Add(Curve.B).Sqrt();
        if (y is null)
        {
            return OprfStatus.NotOnCurve;
        }

        if (y.TestBitZero() != (prefix == OddPrefix))
        {
            y = y.Negate();
        }

        point = Curve.CreatePoint(x, y.ToBigInteger());
        return OprfStatus.Success;
    }
}
