namespace Mimi.Discovery.Identifiers.Tests;

public class SiiTests
{
    [Theory]
    [InlineData(null, IdentifierErrorCodes.InputEmpty, IdentifierPart.Input)]
    [InlineData("", IdentifierErrorCodes.InputEmpty, IdentifierPart.Input)]
    [InlineData(" tel:+12125551212", IdentifierErrorCodes.InputSurroundingWhitespace, IdentifierPart.Input)]
    [InlineData("tel:+12125551212\n", IdentifierErrorCodes.InputSurroundingWhitespace, IdentifierPart.Input)]
    [InlineData("alice@a.example", IdentifierErrorCodes.SiiMissingScheme, IdentifierPart.Scheme)]
    [InlineData("+12125551212", IdentifierErrorCodes.SiiMissingScheme, IdentifierPart.Scheme)]
    [InlineData(":+12125551212", IdentifierErrorCodes.SiiMissingScheme, IdentifierPart.Scheme)]
    [InlineData("sip:alice@a.example", IdentifierErrorCodes.SiiUnknownScheme, IdentifierPart.Scheme)]
    [InlineData("xmpp:alice@a.example", IdentifierErrorCodes.SiiUnknownScheme, IdentifierPart.Scheme)]
    [InlineData("mimi://a.example/u/alice", IdentifierErrorCodes.SiiUnknownScheme, IdentifierPart.Scheme)]
    [InlineData("te l:+12125551212", IdentifierErrorCodes.SiiUnknownScheme, IdentifierPart.Scheme)]
    public void Inputs_without_a_known_scheme_are_rejected(string? input, string code, string part)
    {
        Assert.False(Sii.TryParse(input, out var sii, out var error));

        Assert.Null(sii);
        Assert.Equal(code, error.Code);
        Assert.Equal(part, error.Part);
    }

    [Fact]
    public void Over_long_input_is_rejected_before_parsing()
    {
        var input = "mailto:" + new string('a', 600) + "@b.example";

        Assert.False(Sii.TryParse(input, out _, out var error));

        Assert.Equal(IdentifierErrorCodes.InputTooLong, error.Code);
    }

    [Fact]
    public void Parse_throws_an_exception_carrying_the_error()
    {
        var exception = Assert.Throws<IdentifierFormatException>(() => Sii.Parse("tel:2125551212"));

        Assert.Equal(IdentifierErrorCodes.TelNotGlobal, exception.Error.Code);
        Assert.Equal(exception.Error.Message, exception.Message);
        Assert.IsAssignableFrom<FormatException>(exception);
    }

    [Fact]
    public void Parse_of_null_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => Sii.Parse(null!));
    }

    [Fact]
    public void Equality_and_hashing_follow_the_normalized_value()
    {
        var a = Sii.Parse("tel:+1(212)555-1212");
        var b = Sii.Parse("TEL:+1.212.555.1212");
        var c = Sii.Parse("tel:+12125551213");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.NotEqual(a, c);
        Assert.True(a != c);
        Assert.False(a.Equals(null));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Single(new HashSet<Sii> { a, b });
    }

    [Fact]
    public void Kinds_with_the_same_text_after_the_scheme_differ()
    {
        Assert.NotEqual(Sii.Parse("mailto:alice@a.example"), Sii.Parse("im:alice@a.example"));
    }

    [Fact]
    public void Error_to_string_gives_code_and_message()
    {
        Assert.False(Sii.TryParse("sip:alice@a.example", out _, out var error));

        Assert.StartsWith("sii.unknown-scheme: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("'sip'", error.Message, StringComparison.Ordinal);
    }
}
