using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Math;

namespace Mimi.Discovery.Authority;

/// <summary>
/// Certificate serial numbers: positive, at most 20 octets once DER-encoded (RFC 5280 section
/// 4.1.2.2). The canonical text form is lower-case hex of the unsigned magnitude without leading
/// zero bytes, which is what <c>cred</c> claims, logs and CRL requests use.
/// </summary>
internal static class SerialNumbers
{
    private const int RandomLength = 16;
    private const int MaxEncodedLength = 20;

    /// <summary>128 random bits with the top bit cleared and the next one set: always 16 octets, always positive.</summary>
    public static byte[] NewRandom()
    {
        var bytes = RandomNumberGenerator.GetBytes(RandomLength);
        bytes[0] = (byte)((bytes[0] & 0x7F) | 0x40);
        return bytes;
    }

    /// <summary>Parses a hex serial into its unsigned magnitude; throws <see cref="ArgumentException"/> when it is not a valid serial.</summary>
    public static byte[] Parse(string hex, string parameterName)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"Serial number '{hex}' is not an even-length hex string.", parameterName, ex);
        }

        var start = 0;
        while (start < bytes.Length && bytes[start] == 0)
        {
            start++;
        }

        var magnitude = bytes[start..];
        var encodedLength = magnitude.Length + (magnitude.Length > 0 && magnitude[0] >= 0x80 ? 1 : 0);
        if (magnitude.Length == 0 || encodedLength > MaxEncodedLength)
        {
            throw new ArgumentException(
                $"Serial number '{hex}' must be positive and at most {MaxEncodedLength} octets when DER-encoded.", parameterName);
        }

        return magnitude;
    }

    public static string ToHex(ReadOnlySpan<byte> magnitude) => Convert.ToHexStringLower(magnitude);

    public static BigInteger ToBigInteger(byte[] magnitude) => new(1, magnitude);

    public static DerInteger ToDerInteger(byte[] magnitude) => new(ToBigInteger(magnitude));

    public static string ToHex(BigInteger value) => ToHex(value.ToByteArrayUnsigned());
}
