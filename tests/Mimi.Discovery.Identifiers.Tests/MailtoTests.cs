namespace Mimi.Discovery.Identifiers.Tests;

public class MailtoTests
{
    [Theory]
    [InlineData("mailto:a@b.example", "mailto:a@b.example", "a", "b.example")]
    [InlineData("MailTo:Alice@B.Example", "mailto:alice@b.example", "alice", "b.example")]
    [InlineData("mailto:JOS%C3%89@b.example", "mailto:jos%C3%A9@b.example", "josé", "b.example")]
    [InlineData("MAILTO:alice@b.example.", "mailto:alice@b.example", "alice", "b.example")]
    [InlineData("mailto:first.last@b.example", "mailto:first.last@b.example", "first.last", "b.example")]
    [InlineData("mailto:%61lice@b.example", "mailto:alice@b.example", "alice", "b.example")]
    [InlineData("mailto:al+ice@b.example", "mailto:al+ice@b.example", "al+ice", "b.example")]
    [InlineData("mailto:al%2Bice@b.example", "mailto:al+ice@b.example", "al+ice", "b.example")]
    [InlineData("mailto:a%25b@b.example", "mailto:a%25b@b.example", "a%b", "b.example")]
    [InlineData("mailto:a%3fb@b.example", "mailto:a%3Fb@b.example", "a?b", "b.example")]
    [InlineData("mailto:a/b@b.example", "mailto:a%2Fb@b.example", "a/b", "b.example")]
    [InlineData("mailto:o'hara@b.example", "mailto:o'hara@b.example", "o'hara", "b.example")]
    [InlineData("mailto:jos%C3%A9@b.example", "mailto:jos%C3%A9@b.example", "josé", "b.example")]
    [InlineData("mailto:josé@b.example", "mailto:jos%C3%A9@b.example", "josé", "b.example")]
    [InlineData("mailto:a@bücher.example", "mailto:a@xn--bcher-kva.example", "a", "xn--bcher-kva.example")]
    [InlineData("mailto:a@B%C3%BCcher.example", "mailto:a@xn--bcher-kva.example", "a", "xn--bcher-kva.example")]
    [InlineData("mailto:a@BÜCHER.example", "mailto:a@xn--bcher-kva.example", "a", "xn--bcher-kva.example")]
    public void One_address_normalizes_with_lower_case_domain_and_case_folded_local_part(
        string input, string expected, string localPart, string domain)
    {
        Assert.True(Sii.TryParse(input, out var sii, out var error), error?.Message);

        Assert.Equal(SiiKind.Mailto, sii.Kind);
        Assert.Equal(expected, sii.Value);
        Assert.Equal(localPart, sii.LocalPart);
        Assert.Equal(domain, sii.Domain);
        Assert.Null(sii.E164);
        Assert.Null(sii.Digits);
    }

    [Theory]
    [InlineData("mailto:", IdentifierErrorCodes.MailtoMissingAt, IdentifierPart.Domain)]
    [InlineData("mailto:alice", IdentifierErrorCodes.MailtoMissingAt, IdentifierPart.Domain)]
    [InlineData("mailto:alice%40b.example", IdentifierErrorCodes.MailtoMissingAt, IdentifierPart.Domain)]
    [InlineData("mailto:@b.example", IdentifierErrorCodes.MailtoEmptyLocalPart, IdentifierPart.LocalPart)]
    [InlineData("mailto:alice@", IdentifierErrorCodes.DomainEmpty, IdentifierPart.Domain)]
    [InlineData("mailto:a@b.example,c@d.example", IdentifierErrorCodes.MailtoMultipleRecipients, IdentifierPart.Headers)]
    [InlineData("mailto:a@b.example?subject=hi", IdentifierErrorCodes.MailtoHeadersNotAllowed, IdentifierPart.Headers)]
    [InlineData("mailto:?to=a@b.example", IdentifierErrorCodes.MailtoHeadersNotAllowed, IdentifierPart.Headers)]
    [InlineData("mailto:al ice@b.example", IdentifierErrorCodes.MailtoInvalidCharacter, IdentifierPart.LocalPart)]
    [InlineData("mailto:alice@b .example", IdentifierErrorCodes.MailtoInvalidCharacter, IdentifierPart.Domain)]
    [InlineData("mailto:al\tice@b.example", IdentifierErrorCodes.MailtoInvalidCharacter, IdentifierPart.LocalPart)]
    [InlineData("mailto:a@b.example#frag", IdentifierErrorCodes.MailtoInvalidCharacter, IdentifierPart.Domain)]
    [InlineData("mailto:a@b@c.example", IdentifierErrorCodes.MailtoInvalidLocalPart, IdentifierPart.LocalPart)]
    [InlineData("mailto:.alice@b.example", IdentifierErrorCodes.MailtoInvalidLocalPart, IdentifierPart.LocalPart)]
    [InlineData("mailto:alice.@b.example", IdentifierErrorCodes.MailtoInvalidLocalPart, IdentifierPart.LocalPart)]
    [InlineData("mailto:al..ice@b.example", IdentifierErrorCodes.MailtoInvalidLocalPart, IdentifierPart.LocalPart)]
    [InlineData("mailto:%22al%20ice%22@b.example", IdentifierErrorCodes.MailtoInvalidLocalPart, IdentifierPart.LocalPart)]
    [InlineData("mailto:al%20ice@b.example", IdentifierErrorCodes.MailtoInvalidLocalPart, IdentifierPart.LocalPart)]
    [InlineData("mailto:al(ice)@b.example", IdentifierErrorCodes.MailtoInvalidLocalPart, IdentifierPart.LocalPart)]
    [InlineData("mailto:a%2@b.example", IdentifierErrorCodes.MailtoBadPercentEncoding, IdentifierPart.LocalPart)]
    [InlineData("mailto:a%zz@b.example", IdentifierErrorCodes.MailtoBadPercentEncoding, IdentifierPart.LocalPart)]
    [InlineData("mailto:a%C3@b.example", IdentifierErrorCodes.MailtoBadPercentEncoding, IdentifierPart.LocalPart)]
    [InlineData("mailto:a@b%ZZ.example", IdentifierErrorCodes.MailtoBadPercentEncoding, IdentifierPart.Domain)]
    [InlineData("mailto:a@b_c.example", IdentifierErrorCodes.DomainInvalidLabel, IdentifierPart.Domain)]
    [InlineData("mailto:a@-b.example", IdentifierErrorCodes.DomainInvalidLabel, IdentifierPart.Domain)]
    [InlineData("mailto:a@[192.0.2.1]", IdentifierErrorCodes.DomainInvalidLabel, IdentifierPart.Domain)]
    [InlineData("mailto:a@192.0.2.1", IdentifierErrorCodes.DomainNumericTld, IdentifierPart.Domain)]
    [InlineData("mailto:a@localhost", IdentifierErrorCodes.DomainSingleLabel, IdentifierPart.Domain)]
    public void Malformed_addresses_are_rejected_with_a_code(string input, string code, string part)
    {
        Assert.False(Sii.TryParse(input, out var sii, out var error));

        Assert.Null(sii);
        Assert.Equal(code, error.Code);
        Assert.Equal(part, error.Part);
    }

    [Fact]
    public void A_local_part_over_64_octets_is_rejected()
    {
        Assert.True(Sii.TryParse($"mailto:{new string('a', 64)}@b.example", out _, out _));

        Assert.False(Sii.TryParse($"mailto:{new string('a', 65)}@b.example", out _, out var error));
        Assert.Equal(IdentifierErrorCodes.MailtoLocalPartTooLong, error.Code);

        // 33 two-octet characters: 33 characters but 66 octets.
        Assert.False(Sii.TryParse($"mailto:{new string('é', 33)}@b.example", out _, out error));
        Assert.Equal(IdentifierErrorCodes.MailtoLocalPartTooLong, error.Code);
    }

    [Fact]
    public void An_over_long_domain_is_rejected()
    {
        var label = new string('d', 63);
        var domain = string.Join('.', label, label, label, label);

        Assert.False(Sii.TryParse($"mailto:a@{domain}", out _, out var error));

        Assert.Equal(IdentifierErrorCodes.DomainTooLong, error.Code);
    }

    [Fact]
    public void Regression_letter_case_makes_one_address_several()
    {
        var variants = new[] { "mailto:bob@x.example", "mailto:Bob@X.example", "mailto:BOB@x.EXAMPLE", "MAILTO:bOb@x.example", "mailto:%42ob@x.example" };

        Assert.Single(variants.Select(v => Sii.Parse(v).Value).Distinct());
        Assert.Equal("mailto:bob@x.example", Sii.Parse(variants[1]).Value);
    }

    [Fact]
    public void The_64_octet_limit_applies_to_the_folded_local_part()
    {
        // U+023A (2 octets) lower-cases to U+2C65 (3 octets): 30 of them fit as written, not once folded.
        Assert.False(Sii.TryParse("mailto:" + new string('\u023a', 30) + "@b.example", out _, out var error));
        Assert.Equal(IdentifierErrorCodes.MailtoLocalPartTooLong, error.Code);
    }
}
