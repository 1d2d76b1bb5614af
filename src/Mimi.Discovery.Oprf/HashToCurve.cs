using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Mimi.Discovery.Oprf;

/// <summary>
/// RFC 9380 for the suite P256_XMD:SHA-256_SSWU_RO_: expand_message_xmd with SHA-256, hash_to_field with
/// L = 48, the simplified SWU map with Z = -10, and no cofactor clearing (P-256 has cofactor 1).
/// </summary>
internal static class HashToCurve
{
    /// <summary>L = ceil((ceil(log2(p)) + k) / 8) with k = 128 for both the field prime and the group order.</summary>
    internal const int FieldElementLength = 48;

    private const int DigestLength = 32; // b_in_bytes of SHA-256
    private const int BlockLength = 64;  // s_in_bytes of SHA-256
    private const int MaxDstLength = 255;
    private const int StackLimit = 512;

    private static readonly ECFieldElement A = P256.Curve.A;
    private static readonly ECFieldElement B = P256.Curve.B;
    private static readonly ECFieldElement Z = P256.Curve.FromBigInteger(P256.FieldPrime.Subtract(BigInteger.Ten));
    private static readonly ECFieldElement MinusBOverA = B.Negate().Divide(A);
    private static readonly ECFieldElement BOverZA = B.Divide(Z.Multiply(A));

    /// <summary>hash_to_curve(msg) for P256_XMD:SHA-256_SSWU_RO_ with the given DST.</summary>
    internal static ECPoint HashToGroup(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        Span<byte> uniform = stackalloc byte[2 * FieldElementLength];
        ExpandMessageXmd(message, dst, uniform);
        var u0 = P256.Curve.FromBigInteger(new BigInteger(1, uniform[..FieldElementLength]).Mod(P256.FieldPrime));
        var u1 = P256.Curve.FromBigInteger(new BigInteger(1, uniform[FieldElementLength..]).Mod(P256.FieldPrime));
        return MapToCurve(u0).Add(MapToCurve(u1));
    }

    /// <summary>hash_to_field(msg, 1) modulo the group order: RFC 9497's HashToScalar.</summary>
    internal static BigInteger HashToScalar(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        Span<byte> uniform = stackalloc byte[FieldElementLength];
        ExpandMessageXmd(message, dst, uniform);
        return new BigInteger(1, uniform).Mod(P256.Order);
    }

    /// <summary>expand_message_xmd (RFC 9380 §5.3.1) with SHA-256, filling <paramref name="output"/>.</summary>
    internal static void ExpandMessageXmd(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst, Span<byte> output)
    {
        if (dst.Length > MaxDstLength)
        {
            throw new ArgumentException("A domain separation tag holds at most 255 bytes.", nameof(dst));
        }

        var ell = (output.Length + DigestLength - 1) / DigestLength;
        if (ell > 255 || output.Length > ushort.MaxValue || output.Length == 0)
        {
            throw new ArgumentException("expand_message_xmd yields between 1 and 8160 bytes.", nameof(output));
        }

        // msg_prime = Z_pad || msg || I2OSP(len_in_bytes, 2) || I2OSP(0, 1) || DST_prime
        var primeLength = BlockLength + message.Length + 2 + 1 + dst.Length + 1;
        byte[]? rented = null;
        var messagePrime = primeLength <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(primeLength));
        messagePrime = messagePrime[..primeLength];
        messagePrime[..BlockLength].Clear();
        message.CopyTo(messagePrime[BlockLength..]);
        var position = BlockLength + message.Length;
        BinaryPrimitives.WriteUInt16BigEndian(messagePrime[position..], (ushort)output.Length);
        messagePrime[position + 2] = 0;
        WriteDstPrime(dst, messagePrime[(position + 3)..]);

        Span<byte> b0 = stackalloc byte[DigestLength];
        SHA256.HashData(messagePrime, b0);
        if (rented is not null)
        {
            // The message may be a secret input.
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
        else
        {
            CryptographicOperations.ZeroMemory(messagePrime);
        }

        // b_i = H(strxor(b_0, b_(i-1)) || I2OSP(i, 1) || DST_prime), with b_1 = H(b_0 || I2OSP(1, 1) || DST_prime)
        Span<byte> block = stackalloc byte[DigestLength + 1 + MaxDstLength + 1];
        block = block[..(DigestLength + 1 + dst.Length + 1)];
        WriteDstPrime(dst, block[(DigestLength + 1)..]);
        Span<byte> previous = stackalloc byte[DigestLength];
        for (var i = 1; i <= ell; i++)
        {
            for (var j = 0; j < DigestLength; j++)
            {
                block[j] = i == 1 ? b0[j] : (byte)(b0[j] ^ previous[j]);
            }

            block[DigestLength] = (byte)i;
            SHA256.HashData(block, previous);
            var offset = (i - 1) * DigestLength;
            var take = Math.Min(DigestLength, output.Length - offset);
            previous[..take].CopyTo(output[offset..]);
        }
    }

    /// <summary>map_to_curve_simple_swu (RFC 9380 §6.6.2) for P-256, where A·B ≠ 0.</summary>
    internal static ECPoint MapToCurve(ECFieldElement u)
    {
        var zu2 = Z.Multiply(u.Square());
        var tv1 = zu2.Square().Add(zu2); // Z²·u⁴ + Z·u²
        var x1 = tv1.IsZero ? BOverZA : MinusBOverA.Multiply(tv1.Invert().AddOne());
        var x = x1;
        var y = CurveEquation(x1).Sqrt();
        if (y is null)
        {
            x = zu2.Multiply(x1);
            y = CurveEquation(x).Sqrt()
                ?? throw new InvalidOperationException("Simplified SWU found no square root: the curve constants are wrong.");
        }

        if (u.TestBitZero() != y.TestBitZero())
        {
            y = y.Negate();
        }

        return P256.Curve.CreatePoint(x.ToBigInteger(), y.ToBigInteger());
    }

    private static ECFieldElement CurveEquation(ECFieldElement x) => x.Square().Add(A).Multiply(x).Add(B);

    private static void WriteDstPrime(ReadOnlySpan<byte> dst, Span<byte> destination)
    {
        dst.CopyTo(destination);
        destination[dst.Length] = (byte)dst.Length;
    }
}
