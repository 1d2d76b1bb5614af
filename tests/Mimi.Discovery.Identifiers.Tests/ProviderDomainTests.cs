namespace Mimi.Discovery.Identifiers.Tests;

public class ProviderDomainTests
{
    [Theory]
    [InlineData("alpha.test", "alpha.test")]
    [InlineData("Beta.TEST", "beta.test")]
    [InlineData("beta.test.", "beta.test")]
    [InlineData("a-b.c-d.example", "a-b.c-d.example")]
    [InlineData("0a.example", "0a.example")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("BÜCHER.Example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("XN--BCHER-KVA.example", "xn--bcher-kva.example")]
    [InlineData("ÿ.example", "xn--wda.example")]
    [InlineData("a\u3002example", "a.example")]
    public void Valid_domains_normalize_to_lower_case_ascii(string input, string expected)
    {
        Assert.True(ProviderDomain.TryNormalize(input, out var normalized, out var error), error?.Message);
        Assert.Equal(expected, normalized);
    }

    [Fact]
    public void Labels_of_63_octets_and_names_of_253_octets_are_accepted()
    {
        var label63 = new string('a', 63);
        var name253 = string.Join('.', label63, label63, label63, new string('b', 61));
        Assert.Equal(253, name253.Length);

        Assert.True(ProviderDomain.TryNormalize(label63 + ".example", out _, out _));
        Assert.True(ProviderDomain.TryNormalize(name253, out var normalized, out _));
        Assert.Equal(name253, normalized);
    }

    [Theory]
    [InlineData(null, IdentifierErrorCodes.DomainEmpty)]
    [InlineData("", IdentifierErrorCodes.DomainEmpty)]
    [InlineData("localhost", IdentifierErrorCodes.DomainSingleLabel)]
    [InlineData("localhost.", IdentifierErrorCodes.DomainSingleLabel)]
    [InlineData(".", IdentifierErrorCodes.DomainInvalidLabel)]
    [InlineData("a..example", IdentifierErrorCodes.DomainInvalidLabel)]
    [InlineData(".example", IdentifierErrorCodes.DomainInvalidLabel)]
    [InlineData("a.example..", IdentifierErrorCodes.DomainInvalidLabel)]
    [InlineData("-a.example", IdentifierErrorCodes.DomainInvalidLabel)]
    [InlineData("a-.example", IdentifierErrorCodes.DomainInvalidLabel)]
    [InlineData("a_b.example", IdentifierErrorCodes.DomainInvalidLabel)]
    [InlineData("ex ample.com", IdentifierErrorCodes.DomainInvalidLabel)]
    [InlineData("a.example:443", IdentifierErrorCodes.DomainInvalidLabel)]
    [InlineData("[2001:db8::1]", IdentifierErrorCodes.DomainInvalidLabel)]
    [InlineData("192.0.2.1", IdentifierErrorCodes.DomainNumericTld)]
    [InlineData("a.123", IdentifierErrorCodes.DomainNumericTld)]
    [InlineData("xn--zz.example", IdentifierErrorCodes.DomainInvalidIdn)]
    [InlineData("xn--bcher-2pa.example", IdentifierErrorCodes.DomainInvalidIdn)]
    [InlineData("ＡＢＣ.example", IdentifierErrorCodes.DomainInvalidIdn)]
    [InlineData("a\u200Db.example", IdentifierErrorCodes.DomainInvalidIdn)]
    [InlineData("\u0308a.example", IdentifierErrorCodes.DomainInvalidIdn)]
    [InlineData("bü_cher.example", IdentifierErrorCodes.DomainInvalidIdn)]
    public void Invalid_domains_are_rejected_with_a_code(string? input, string code)
    {
        Assert.False(ProviderDomain.TryNormalize(input, out var normalized, out var error));
        Assert.Null(normalized);
        Assert.Equal(code, error.Code);
        Assert.Equal(IdentifierPart.Domain, error.Part);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void A_label_longer_than_63_octets_is_rejected_and_named()
    {
        var label = new string('a', 64);

        Assert.False(ProviderDomain.TryNormalize(label + ".example", out _, out var error));

        Assert.Equal(IdentifierErrorCodes.DomainInvalidLabel, error.Code);
        Assert.Contains(label, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_longer_than_253_octets_is_rejected()
    {
        var label63 = new string('a', 63);
        var name254 = string.Join('.', label63, label63, label63, new string('b', 62));

        Assert.False(ProviderDomain.TryNormalize(name254, out _, out var error));

        Assert.Equal(IdentifierErrorCodes.DomainTooLong, error.Code);
    }

    [Fact]
    public void An_internationalized_label_too_long_in_ascii_form_is_rejected()
    {
        var label = string.Concat(Enumerable.Repeat("ü", 60));

        Assert.False(ProviderDomain.TryNormalize(label + ".example", out _, out var error));

        Assert.Equal(IdentifierErrorCodes.DomainInvalidIdn, error.Code);
        Assert.Contains("63", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_error_message_names_the_offending_label()
    {
        Assert.False(ProviderDomain.TryNormalize("ok.bad_label.example", out _, out var error));

        Assert.Contains("'bad_label'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'_'", error.Message, StringComparison.Ordinal);
    }
}
