using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Tls;

public class TlsVarintTests
{
    // RFC 9420 §2.1.2 examples.
    [Theory]
    [InlineData("25", 37)]
    [InlineData("7bbd", 15293)]
    [InlineData("9d7f3e7d", 494878333)]
    public void Rfc9420_examples_decode(string hex, int expected)
    {
        Assert.Equal(TlsErrorKind.None, TlsVarint.TryRead(Convert.FromHexString(hex), out var value, out var read));
        Assert.Equal(expected, value);
        Assert.Equal(hex.Length / 2, read);
    }

    [Theory]
    [InlineData(0, "00")]
    [InlineData(63, "3f")]
    [InlineData(64, "4040")]
    [InlineData(16383, "7fff")]
    [InlineData(16384, "80004000")]
    [InlineData(TlsVarint.MaxValue, "bfffffff")]
    public void Boundaries_encode_minimally(int value, string hex)
    {
        var buffer = new byte[4];
        var written = TlsVarint.Write(buffer, value);
        Assert.Equal(hex, Convert.ToHexStringLower(buffer.AsSpan(0, written)));
    }

    [Theory]
    [InlineData("4025")]
    [InlineData("403f")]
    [InlineData("80003fff")]
    [InlineData("80000000")]
    public void Non_minimal_encodings_are_malformed(string hex) =>
        Assert.Equal(TlsErrorKind.NonMinimalVarint, TlsVarint.TryRead(Convert.FromHexString(hex), out _, out _));

    [Theory]
    [InlineData("c0")]
    [InlineData("ffffffffffffffff")]
    public void Prefix_11_is_invalid(string hex) =>
        Assert.Equal(TlsErrorKind.InvalidVarint, TlsVarint.TryRead(Convert.FromHexString(hex), out _, out _));

    [Theory]
    [InlineData("")]
    [InlineData("40")]
    [InlineData("80ffff")]
    public void Short_input_is_truncated(string hex) =>
        Assert.Equal(TlsErrorKind.Truncated, TlsVarint.TryRead(Convert.FromHexString(hex), out _, out _));

    [Fact]
    public void Out_of_range_values_are_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TlsVarint.GetEncodedLength(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TlsVarint.GetEncodedLength(TlsVarint.MaxValue + 1));
    }

    [Property(MaxTest = 1000)]
    public Property Every_value_round_trips() =>
        Prop.ForAll(Gen.Choose(0, TlsVarint.MaxValue).ToArbitrary(), value =>
        {
            var buffer = new byte[4];
            var written = TlsVarint.Write(buffer, value);
            Assert.Equal(TlsVarint.GetEncodedLength(value), written);
            Assert.Equal(TlsErrorKind.None, TlsVarint.TryRead(buffer.AsSpan(0, written), out var read, out var length));
            Assert.Equal(value, read);
            Assert.Equal(written, length);
        });

    [Property(MaxTest = 2000)]
    public Property Arbitrary_bytes_never_throw(byte[] bytes) =>
        (TlsVarint.TryRead(bytes, out _, out var read) is var kind && (kind == TlsErrorKind.None) == (read > 0)).ToProperty();
}
