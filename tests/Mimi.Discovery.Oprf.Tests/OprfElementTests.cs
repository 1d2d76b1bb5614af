using System.Security.Cryptography;
using NumericsInteger = System.Numerics.BigInteger;

namespace Mimi.Discovery.Oprf.Tests;

/// <summary>DeserializeElement on attacker-controlled bytes: every refusal is a status, never an exception.</summary>
public sealed class OprfElementTests
{
    // P-256 (SEC 2 / FIPS 186-4), computed independently of BouncyCastle with System.Numerics.
    private static readonly NumericsInteger P = NumericsInteger.Parse("0ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", System.Globalization.NumberStyles.HexNumber);
    private static readonly NumericsInteger B = NumericsInteger.Parse("05ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", System.Globalization.NumberStyles.HexNumber);
    private const string GeneratorCompressed = "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";

    [Fact]
    public void The_generator_decodes_and_encodes_back_to_the_same_bytes()
    {
        var result = OprfElement.Decode(Convert.FromHexString(GeneratorCompressed));

        Assert.True(result.IsSuccess);
        Assert.Equal(GeneratorCompressed, result.Value.ToString());
        Assert.Equal(GeneratorCompressed, Convert.ToHexStringLower(result.Value.ToArray()));
    }

    [Fact]
    public void The_two_prefixes_of_one_x_decode_to_opposite_points()
    {
        var odd = Convert.FromHexString(GeneratorCompressed);
        var even = (byte[])odd.Clone();
        even[0] = 0x02;

        var a = OprfElement.Decode(odd).Value!;
        var b = OprfElement.Decode(even).Value!;

        Assert.NotEqual(a, b);
        Assert.True(a.Point.Add(b.Point).IsInfinity);
    }

    [Fact]
    public void An_x_without_a_square_root_is_not_on_the_curve()
    {
        var offCurve = 0;
        var onCurve = 0;
        for (var x = 1; offCurve < 5 || onCurve < 5; x++)
        {
            var encoded = Encode(0x02, new NumericsInteger(x));
            var result = OprfElement.Decode(encoded);
            if (IsSquare((NumericsInteger.Pow(x, 3) - (3 * x) + B) % P))
            {
                Assert.Equal(OprfStatus.Success, result.Status);
                onCurve++;
            }
            else
            {
                Assert.Equal(OprfStatus.NotOnCurve, result.Status);
                Assert.Null(result.Value);
                offCurve++;
            }
        }
    }

    [Fact]
    public void The_identity_is_refused()
    {
        Assert.Equal(OprfStatus.Identity, OprfElement.Decode([0x00]).Status);
        Assert.Equal(OprfStatus.InvalidEncoding, OprfElement.Decode(new byte[OprfSuite.ElementLength]).Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(34)]
    [InlineData(65)]
    public void A_wrong_length_is_refused(int length)
    {
        var encoded = new byte[length];
        if (length > 0)
        {
            encoded[0] = 0x02;
        }

        Assert.Equal(OprfStatus.InvalidLength, OprfElement.Decode(encoded).Status);
    }

    [Fact]
    public void An_uncompressed_point_is_refused()
    {
        var uncompressed = OprfElement.Decode(Convert.FromHexString(GeneratorCompressed)).Value!.Point.GetEncoded(false);

        Assert.Equal(OprfStatus.InvalidLength, OprfElement.Decode(uncompressed).Status);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    [InlineData(0x04)]
    [InlineData(0x06)]
    [InlineData(0x07)]
    [InlineData(0xff)]
    public void A_prefix_other_than_02_or_03_is_refused(byte prefix)
    {
        var encoded = Convert.FromHexString(GeneratorCompressed);
        encoded[0] = prefix;

        Assert.Equal(OprfStatus.InvalidEncoding, OprfElement.Decode(encoded).Status);
    }

    [Fact]
    public void An_x_coordinate_not_below_the_field_prime_is_refused()
    {
        // p + 1 would alias x = 1 if it were reduced; it must not be.
        Assert.Equal(OprfStatus.InvalidEncoding, OprfElement.Decode(Encode(0x02, P)).Status);
        Assert.Equal(OprfStatus.InvalidEncoding, OprfElement.Decode(Encode(0x03, P + 1)).Status);
        Assert.Equal(OprfStatus.InvalidEncoding, OprfElement.Decode(Encode(0x02, (NumericsInteger.One << 256) - 1)).Status);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        for (var i = 0; i < 2000; i++)
        {
            var length = i % 3 == 0 ? OprfSuite.ElementLength : RandomNumberGenerator.GetInt32(0, 70);
            var bytes = RandomNumberGenerator.GetBytes(length);
            if (i % 2 == 0 && length > 0)
            {
                bytes[0] = (byte)(2 + (i & 1));
            }

            var result = OprfElement.Decode(bytes);

            Assert.Equal(result.IsSuccess, result.Value is not null);
        }
    }

    private static bool IsSquare(NumericsInteger value) =>
        value.IsZero || NumericsInteger.ModPow(value, (P - 1) / 2, P).IsOne;

    private static byte[] Encode(byte prefix, NumericsInteger x)
    {
        var encoded = new byte[OprfSuite.ElementLength];
        encoded[0] = prefix;
        var magnitude = x.ToByteArray(isUnsigned: true, isBigEndian: true);
        magnitude.CopyTo(encoded, OprfSuite.ElementLength - magnitude.Length);
        return encoded;
    }
}
