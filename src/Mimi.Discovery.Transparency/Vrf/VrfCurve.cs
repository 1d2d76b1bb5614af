using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC.Multiplier;
using ECCurve = Org.BouncyCastle.Math.EC.ECCurve;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// The group of ECVRF-P256-SHA256-TAI (RFC 9381 §5.5): P-256 on BouncyCastle's custom curve, its SEC1 compressed
/// points (ptLen = 33) and big-endian scalars (qLen = 32). P-256 has cofactor 1: every point on it is in the group.
/// </summary>
internal static class VrfCurve
{
    internal const int PointLength = 33;
    internal const int ScalarLength = 32;

    private const byte EvenY = 0x02;
    private const byte OddY = 0x03;

    private static readonly X9ECParameters Domain = CustomNamedCurves.GetByName("P-256");

    // The comb caches its table on the generator instance, so both stay the same objects for the process.
    private static readonly FixedPointCombMultiplier GeneratorComb = new();

    internal static readonly ECCurve Curve = Domain.Curve;
    internal static readonly ECPoint Generator = Domain.G.Normalize();
    internal static readonly BigInteger Order = Domain.N;

    private static readonly BigInteger Prime = Curve.Field.Characteristic;

    /// <summary>k·B on the fixed-base comb, for a scalar in [0, q).</summary>
    internal static ECPoint TimesGenerator(BigInteger k) => GeneratorComb.Multiply(Generator, k);

    /// <summary>
    /// k·P for a secret k. BouncyCastle's window multiplier runs for as many steps as the scalar has bits, so the
    /// scalar goes in as k + q or k + 2q, the one that is exactly one bit longer than q: same point, fixed length.
    /// </summary>
    internal static ECPoint TimesSecret(ECPoint point, BigInteger k)
    {
        var constantLength = k.Add(Order);
        if (!constantLength.TestBit(Order.BitLength))
        {
            constantLength = constantLength.Add(Order);
        }

        return point.Multiply(constantLength);
    }

    /// <summary>A uniformly random scalar in [1, q) from the system's generator.</summary>
    internal static BigInteger RandomNonZeroScalar()
    {
        Span<byte> candidate = stackalloc byte[ScalarLength];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(candidate);
                var value = new BigInteger(1, candidate);
                if (value.SignValue != 0 && value.CompareTo(Order) < 0)
                {
                    return value;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }
    }

    /// <summary>int_to_string: <paramref name="value"/> as exactly <paramref name="destination"/>.Length big-endian bytes.</summary>
    internal static void WriteInteger(BigInteger value, Span<byte> destination) =>
        Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(value, destination);

    /// <summary>point_to_string: the SEC1 compressed form of a normalized, finite point.</summary>
    internal static void WritePoint(ECPoint normalized, Span<byte> destination)
    {
        destination[0] = normalized.AffineYCoord.TestBitZero() ? OddY : EvenY;
        WriteInteger(normalized.AffineXCoord.ToBigInteger(), destination[1..PointLength]);
    }

    /// <summary>
    /// string_to_point for compressed points: null unless <paramref name="encoded"/> is 33 bytes, starts 0x02 or 0x03,
    /// has an x below p and x³ + ax + b is a square. Never throws: its input is a hash output or untrusted bytes.
    /// </summary>
    internal static ECPoint? TryReadPoint(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != PointLength || (encoded[0] != EvenY && encoded[0] != OddY))
        {
            return null;
        }

        var xValue = new BigInteger(1, encoded[1..]);
        if (xValue.CompareTo(Prime) >= 0)
        {
            return null;
        }

        var x = Curve.FromBigInteger(xValue);
        var root = x.Square().Add(Curve.A).Multiply(x).Add(Curve.B).Sqrt();
        if (root is null)
        {
            return null;
        }

        var y = root.TestBitZero() == (encoded[0] == OddY) ? root : root.Negate();
        return Curve.CreatePoint(xValue, y.ToBigInteger());
    }
}
