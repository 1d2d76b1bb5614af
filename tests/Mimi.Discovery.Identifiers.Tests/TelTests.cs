namespace Mimi.Discovery.Identifiers.Tests;

public class TelTests
{
    [Theory]
    [InlineData("tel:+15550001111", "tel:+15550001111")]
    [InlineData("tel:+12025550100", "tel:+12025550100")]
    [InlineData("tel:+12125551212", "tel:+12125551212")]
    [InlineData("tel:+1-212-555-1212", "tel:+12125551212")]
    [InlineData("tel:+1.212.555.1212", "tel:+12125551212")]
    [InlineData("tel:+1(212)5551212", "tel:+12125551212")]
    [InlineData("tel:+1(212)555-1212", "tel:+12125551212")]
    [InlineData("TEL:+12125551212", "tel:+12125551212")]
    [InlineData("Tel:+12125551212", "tel:+12125551212")]
    [InlineData("tel:+44-20-7183-8750", "tel:+442071838750")]
    [InlineData("tel:+44(0)20.7183.8750", "tel:+442071838750")]
    [InlineData("tel:+39-06-1234-5678", "tel:+390612345678")]
    [InlineData("tel:+49.30.123456", "tel:+4930123456")]
    [InlineData("tel:+800-1234-5678", "tel:+80012345678")]
    public void Global_numbers_normalize_to_e164(string input, string expected)
    {
        Assert.True(Sii.TryParse(input, out var sii, out var error), error?.Message);

        Assert.Equal(SiiKind.Tel, sii.Kind);
        Assert.Equal(expected, sii.Value);
        Assert.Equal(expected, sii.ToString());
        Assert.Equal(expected["tel:".Length..], sii.E164);
        Assert.Equal(expected["tel:+".Length..], sii.Digits);
        Assert.Null(sii.LocalPart);
        Assert.Null(sii.Domain);
    }

    [Theory]
    [InlineData("tel:", IdentifierErrorCodes.TelNotGlobal, IdentifierPart.Number)]
    [InlineData("tel:2125551212", IdentifierErrorCodes.TelNotGlobal, IdentifierPart.Number)]
    [InlineData("tel:1-212-555-1212", IdentifierErrorCodes.TelNotGlobal, IdentifierPart.Number)]
    [InlineData("tel:5551212;phone-context=example.com", IdentifierErrorCodes.TelNotGlobal, IdentifierPart.Number)]
    [InlineData("tel:+1-212-555-1212;ext=123", IdentifierErrorCodes.TelParametersNotAllowed, IdentifierPart.Parameters)]
    [InlineData("tel:+12125551212;phone-context=+1", IdentifierErrorCodes.TelParametersNotAllowed, IdentifierPart.Parameters)]
    [InlineData("tel:+12125551212;isub=1", IdentifierErrorCodes.TelParametersNotAllowed, IdentifierPart.Parameters)]
    [InlineData("tel:+1-800-FLOWERS", IdentifierErrorCodes.TelInvalidCharacter, IdentifierPart.Number)]
    [InlineData("tel:+1-212-555-1212x12", IdentifierErrorCodes.TelInvalidCharacter, IdentifierPart.Number)]
    [InlineData("tel:++12125551212", IdentifierErrorCodes.TelInvalidCharacter, IdentifierPart.Number)]
    [InlineData("tel:+1%202125551212", IdentifierErrorCodes.TelInvalidCharacter, IdentifierPart.Number)]
    [InlineData("tel:+12125551212#x", IdentifierErrorCodes.TelInvalidCharacter, IdentifierPart.Number)]
    [InlineData("tel:+12125551212?x=1", IdentifierErrorCodes.TelInvalidCharacter, IdentifierPart.Number)]
    [InlineData("tel:+1\t2125551212", IdentifierErrorCodes.TelInvalidCharacter, IdentifierPart.Number)]
    [InlineData("tel:+１２１２５５５１２１２", IdentifierErrorCodes.TelInvalidCharacter, IdentifierPart.Number)]
    [InlineData("tel:+999-123-4567", IdentifierErrorCodes.TelUnknownCountryCode, IdentifierPart.Number)]
    [InlineData("tel:+0-123-4567", IdentifierErrorCodes.TelUnknownCountryCode, IdentifierPart.Number)]
    [InlineData("tel:+", IdentifierErrorCodes.TelImpossibleNumber, IdentifierPart.Number)]
    [InlineData("tel:+-", IdentifierErrorCodes.TelImpossibleNumber, IdentifierPart.Number)]
    [InlineData("tel:+1", IdentifierErrorCodes.TelImpossibleNumber, IdentifierPart.Number)]
    [InlineData("tel:+1-212-555-121", IdentifierErrorCodes.TelImpossibleNumber, IdentifierPart.Number)]
    [InlineData("tel:+1-212-555-12123", IdentifierErrorCodes.TelImpossibleNumber, IdentifierPart.Number)]
    [InlineData("tel:+1234567890123456", IdentifierErrorCodes.TelImpossibleNumber, IdentifierPart.Number)]
    [InlineData("tel:+44-1", IdentifierErrorCodes.TelImpossibleNumber, IdentifierPart.Number)]
    public void Malformed_numbers_are_rejected_with_a_code(string input, string code, string part)
    {
        Assert.False(Sii.TryParse(input, out var sii, out var error));

        Assert.Null(sii);
        Assert.Equal(code, error.Code);
        Assert.Equal(part, error.Part);
        Assert.Contains(input, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tel:+1 212 555 1212")]
    [InlineData("tel:+1-212 555-1212")]
    [InlineData("tel:+1\u00a0212\u00a05551212")]
    [InlineData("tel:+1/212/5551212")]
    [InlineData("tel:+1_212_5551212")]
    public void Regression_spaces_are_not_visual_separators(string input)
    {
        // RFC 3966 visual-separator: "-" / "." / "(" / ")". Nothing else is dropped from a number.
        Assert.False(Sii.TryParse(input, out _, out var error));

        Assert.Equal(IdentifierErrorCodes.TelInvalidCharacter, error.Code);
        Assert.Equal(IdentifierPart.Number, error.Part);
        Assert.Contains("'-', '.', '(' and ')'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fictional_numbers_are_accepted_but_not_valid_numbers()
    {
        var fictional = Sii.Parse("tel:+15550001111");
        var assigned = Sii.Parse("tel:+12125551212");

        Assert.False(fictional.IsValidNumber);
        Assert.True(assigned.IsValidNumber);
        Assert.False(Sii.Parse("mailto:a@b.example").IsValidNumber);
    }

    [Fact]
    public void Digits_are_what_a_TNAuthList_carries()
    {
        Assert.Equal("12025550100", Sii.Parse("tel:+1-202-555-0100").Digits);
    }

    [Fact]
    public void Parameters_are_quoted_in_the_message()
    {
        Assert.False(Sii.TryParse("tel:+12125551212;ext=42", out _, out var error));

        Assert.Contains("';ext=42'", error.Message, StringComparison.Ordinal);
    }
}
