namespace Mimi.Discovery.Identifiers.Tests;

public class ImTests
{
    [Theory]
    [InlineData("im:alice@a.example", "im:alice@a.example", "alice", "a.example")]
    [InlineData("IM:Alice@A.Example", "im:alice@a.example", "alice", "a.example")]
    [InlineData("Im:ALICE@a.example.", "im:alice@a.example", "alice", "a.example")]
    [InlineData("im:alice.smith_1-x@a.example", "im:alice.smith_1-x@a.example", "alice.smith_1-x", "a.example")]
    [InlineData("im:7@a.example", "im:7@a.example", "7", "a.example")]
    [InlineData("im:bob@bücher.example", "im:bob@xn--bcher-kva.example", "bob", "xn--bcher-kva.example")]
    public void Handles_normalize_to_lower_case(string input, string expected, string handle, string domain)
    {
        Assert.True(Sii.TryParse(input, out var sii, out var error), error?.Message);

        Assert.Equal(SiiKind.Im, sii.Kind);
        Assert.Equal(expected, sii.Value);
        Assert.Equal(handle, sii.LocalPart);
        Assert.Equal(domain, sii.Domain);
    }

    [Theory]
    [InlineData("im:", IdentifierErrorCodes.ImMissingAt, IdentifierPart.Domain)]
    [InlineData("im:alice", IdentifierErrorCodes.ImMissingAt, IdentifierPart.Domain)]
    [InlineData("im:@a.example", IdentifierErrorCodes.ImEmptyHandle, IdentifierPart.Handle)]
    [InlineData("im:al ice@a.example", IdentifierErrorCodes.ImInvalidHandle, IdentifierPart.Handle)]
    [InlineData("im:al+ice@a.example", IdentifierErrorCodes.ImInvalidHandle, IdentifierPart.Handle)]
    [InlineData("im:al%69ce@a.example", IdentifierErrorCodes.ImInvalidHandle, IdentifierPart.Handle)]
    [InlineData("im:alicé@a.example", IdentifierErrorCodes.ImInvalidHandle, IdentifierPart.Handle)]
    [InlineData("im:.alice@a.example", IdentifierErrorCodes.ImInvalidHandle, IdentifierPart.Handle)]
    [InlineData("im:alice-@a.example", IdentifierErrorCodes.ImInvalidHandle, IdentifierPart.Handle)]
    [InlineData("im:a@b@c.example", IdentifierErrorCodes.DomainInvalidLabel, IdentifierPart.Domain)]
    [InlineData("im:alice@a.example?x=1", IdentifierErrorCodes.DomainInvalidLabel, IdentifierPart.Domain)]
    [InlineData("im:alice@", IdentifierErrorCodes.DomainEmpty, IdentifierPart.Domain)]
    [InlineData("im:alice@a", IdentifierErrorCodes.DomainSingleLabel, IdentifierPart.Domain)]
    public void Malformed_handles_are_rejected_with_a_code(string input, string code, string part)
    {
        Assert.False(Sii.TryParse(input, out var sii, out var error));

        Assert.Null(sii);
        Assert.Equal(code, error.Code);
        Assert.Equal(part, error.Part);
    }

    [Fact]
    public void A_handle_over_64_characters_is_rejected()
    {
        Assert.True(Sii.TryParse($"im:{new string('a', 64)}@a.example", out _, out _));

        Assert.False(Sii.TryParse($"im:{new string('a', 65)}@a.example", out _, out var error));
        Assert.Equal(IdentifierErrorCodes.ImHandleTooLong, error.Code);
    }

    [Fact]
    public void Handles_differing_only_in_case_are_the_same_identifier()
    {
        Assert.Equal(Sii.Parse("im:Alice@a.example"), Sii.Parse("im:aLICE@A.EXAMPLE"));
    }
}
