namespace Mimi.Discovery.Authority.Tests;

public sealed class CredentialSerialTests
{
    [Theory]
    [InlineData("4a0b1c", "4a0b1c")]
    [InlineData("4A0B1C", "4a0b1c")]
    [InlineData("4A:0B:1C", "4a0b1c")]
    [InlineData("004a0b1c", "4a0b1c")]
    [InlineData("00:4A:0B:1C", "4a0b1c")]
    [InlineData("abc", "0abc")]
    [InlineData("1", "01")]
    [InlineData("7fffffffffffffffffffffffffffffffffffffff", "7fffffffffffffffffffffffffffffffffffffff")]
    [InlineData("0080ffffffffffffffffffffffffffffffffffff", "80ffffffffffffffffffffffffffffffffffff")]
    public void Every_spelling_of_a_serial_has_one_canonical_form(string text, string canonical)
    {
        Assert.True(CredentialSerial.TryParse(text, out var serial, out var error), error);
        Assert.Equal(canonical, serial.Value);
        Assert.Equal(serial, CredentialSerial.Parse(canonical));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("4g")]
    [InlineData("4a-0b")]
    [InlineData(":4a")]
    [InlineData("4a:")]
    [InlineData("4a::0b")]
    [InlineData("4:a0")]
    [InlineData(" 4a")]
    [InlineData("ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff")]
    [InlineData("0101010101010101010101010101010101010101ff")]
    public void What_is_not_a_serial_is_refused_with_a_reason(string text)
    {
        Assert.False(CredentialSerial.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => CredentialSerial.Parse(text));
    }

    [Fact]
    public void Issued_serials_are_already_canonical()
    {
        var serial = SerialNumbers.ToHex(SerialNumbers.NewRandom());

        Assert.Equal(serial, CredentialSerial.Parse(serial.ToUpperInvariant()).Value);
    }
}
