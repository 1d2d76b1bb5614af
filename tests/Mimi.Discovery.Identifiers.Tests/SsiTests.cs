namespace Mimi.Discovery.Identifiers.Tests;

public class SsiTests
{
    [Theory]
    [InlineData("mimi://a.example", "mimi://a.example", SsiKind.Provider, "a.example", null)]
    [InlineData("mimi://a.example/", "mimi://a.example", SsiKind.Provider, "a.example", null)]
    [InlineData("MIMI://A.Example", "mimi://a.example", SsiKind.Provider, "a.example", null)]
    [InlineData("mimi://a.example/u/alice", "mimi://a.example/u/alice", SsiKind.User, "a.example", "alice")]
    [InlineData("Mimi://A.EXAMPLE./u/alice", "mimi://a.example/u/alice", SsiKind.User, "a.example", "alice")]
    [InlineData("mimi://a.example/d/ClientA1", "mimi://a.example/d/ClientA1", SsiKind.Client, "a.example", "ClientA1")]
    [InlineData("mimi://a.example/r/clubhouse", "mimi://a.example/r/clubhouse", SsiKind.Room, "a.example", "clubhouse")]
    [InlineData("mimi://beta.test/u/bob", "mimi://beta.test/u/bob", SsiKind.User, "beta.test", "bob")]
    [InlineData("mimi://a.example/u/%61lice", "mimi://a.example/u/alice", SsiKind.User, "a.example", "alice")]
    [InlineData("mimi://a.example/u/al%2fice", "mimi://a.example/u/al%2Fice", SsiKind.User, "a.example", "al/ice")]
    [InlineData("mimi://a.example/u/a%20b", "mimi://a.example/u/a%20b", SsiKind.User, "a.example", "a b")]
    [InlineData("mimi://a.example/u/alice.smith~x_1-2", "mimi://a.example/u/alice.smith~x_1-2", SsiKind.User, "a.example", "alice.smith~x_1-2")]
    [InlineData("mimi://a.example/u/alice@home", "mimi://a.example/u/alice@home", SsiKind.User, "a.example", "alice@home")]
    [InlineData("mimi://a.example/u/%21bang", "mimi://a.example/u/!bang", SsiKind.User, "a.example", "!bang")]
    [InlineData("mimi://a.example/u/josé", "mimi://a.example/u/jos%C3%A9", SsiKind.User, "a.example", "josé")]
    [InlineData("mimi://a.example/u/jos%c3%a9", "mimi://a.example/u/jos%C3%A9", SsiKind.User, "a.example", "josé")]
    [InlineData("mimi://bücher.example/u/alice", "mimi://xn--bcher-kva.example/u/alice", SsiKind.User, "xn--bcher-kva.example", "alice")]
    public void Mimi_uris_normalize(string input, string expected, SsiKind kind, string domain, string? localPart)
    {
        Assert.True(Ssi.TryParse(input, out var ssi, out var error), error?.Message);

        Assert.Equal(expected, ssi.Value);
        Assert.Equal(expected, ssi.ToString());
        Assert.Equal(kind, ssi.Kind);
        Assert.Equal(domain, ssi.Domain);
        Assert.Equal(localPart, ssi.LocalPart);
    }

    [Theory]
    [InlineData(null, IdentifierErrorCodes.InputEmpty, IdentifierPart.Input)]
    [InlineData("", IdentifierErrorCodes.InputEmpty, IdentifierPart.Input)]
    [InlineData("mimi://a.example/u/alice ", IdentifierErrorCodes.InputSurroundingWhitespace, IdentifierPart.Input)]
    [InlineData("http://a.example/u/alice", IdentifierErrorCodes.SsiUnknownScheme, IdentifierPart.Scheme)]
    [InlineData("a.example/u/alice", IdentifierErrorCodes.SsiUnknownScheme, IdentifierPart.Scheme)]
    [InlineData("im:alice@a.example", IdentifierErrorCodes.SsiUnknownScheme, IdentifierPart.Scheme)]
    [InlineData("mimi:a.example/u/alice", IdentifierErrorCodes.SsiMissingAuthority, IdentifierPart.Authority)]
    [InlineData("mimi:/a.example/u/alice", IdentifierErrorCodes.SsiMissingAuthority, IdentifierPart.Authority)]
    [InlineData("mimi://", IdentifierErrorCodes.DomainEmpty, IdentifierPart.Domain)]
    [InlineData("mimi:///u/alice", IdentifierErrorCodes.DomainEmpty, IdentifierPart.Domain)]
    [InlineData("mimi://alice@a.example/u/alice", IdentifierErrorCodes.SsiUserInfoNotAllowed, IdentifierPart.UserInfo)]
    [InlineData("mimi://a.example:443/u/alice", IdentifierErrorCodes.SsiPortNotAllowed, IdentifierPart.Port)]
    [InlineData("mimi://a.example:/u/alice", IdentifierErrorCodes.SsiPortNotAllowed, IdentifierPart.Port)]
    [InlineData("mimi://[2001:db8::1]/u/alice", IdentifierErrorCodes.SsiPortNotAllowed, IdentifierPart.Port)]
    [InlineData("mimi://192.0.2.1/u/alice", IdentifierErrorCodes.DomainNumericTld, IdentifierPart.Domain)]
    [InlineData("mimi://a_b.example/u/alice", IdentifierErrorCodes.DomainInvalidLabel, IdentifierPart.Domain)]
    [InlineData("mimi://localhost/u/alice", IdentifierErrorCodes.DomainSingleLabel, IdentifierPart.Domain)]
    [InlineData("mimi://a%zz.example/u/alice", IdentifierErrorCodes.SsiBadPercentEncoding, IdentifierPart.Domain)]
    [InlineData("mimi://a.example/u/alice?x=1", IdentifierErrorCodes.SsiQueryNotAllowed, IdentifierPart.Query)]
    [InlineData("mimi://a.example?x=1", IdentifierErrorCodes.SsiQueryNotAllowed, IdentifierPart.Query)]
    [InlineData("mimi://a.example/u/alice#x", IdentifierErrorCodes.SsiFragmentNotAllowed, IdentifierPart.Fragment)]
    [InlineData("mimi://a.example/u/alice#x?y", IdentifierErrorCodes.SsiFragmentNotAllowed, IdentifierPart.Fragment)]
    [InlineData("mimi://a.example/x/alice", IdentifierErrorCodes.SsiUnknownKind, IdentifierPart.Kind)]
    [InlineData("mimi://a.example/U/alice", IdentifierErrorCodes.SsiUnknownKind, IdentifierPart.Kind)]
    [InlineData("mimi://a.example/user/alice", IdentifierErrorCodes.SsiUnknownKind, IdentifierPart.Kind)]
    [InlineData("mimi://a.example/g/clubhouse", IdentifierErrorCodes.SsiUnknownKind, IdentifierPart.Kind)]
    [InlineData("mimi://a.example//alice", IdentifierErrorCodes.SsiUnknownKind, IdentifierPart.Kind)]
    [InlineData("mimi://a.example/alice", IdentifierErrorCodes.SsiUnknownKind, IdentifierPart.Kind)]
    [InlineData("mimi://a.example/u", IdentifierErrorCodes.SsiMissingLocalPart, IdentifierPart.LocalPart)]
    [InlineData("mimi://a.example/u/", IdentifierErrorCodes.SsiMissingLocalPart, IdentifierPart.LocalPart)]
    [InlineData("mimi://a.example/u/alice/", IdentifierErrorCodes.SsiExtraSegments, IdentifierPart.Path)]
    [InlineData("mimi://a.example/u/alice/x", IdentifierErrorCodes.SsiExtraSegments, IdentifierPart.Path)]
    [InlineData("mimi://a.example/d/alice/ClientA1", IdentifierErrorCodes.SsiExtraSegments, IdentifierPart.Path)]
    [InlineData("mimi://a.example/u/al%zzice", IdentifierErrorCodes.SsiBadPercentEncoding, IdentifierPart.LocalPart)]
    [InlineData("mimi://a.example/u/al%2", IdentifierErrorCodes.SsiBadPercentEncoding, IdentifierPart.LocalPart)]
    [InlineData("mimi://a.example/u/%FF", IdentifierErrorCodes.SsiBadPercentEncoding, IdentifierPart.LocalPart)]
    [InlineData("mimi://a.example/u/%C3", IdentifierErrorCodes.SsiBadPercentEncoding, IdentifierPart.LocalPart)]
    [InlineData("mimi://a.example/u/al ice", IdentifierErrorCodes.SsiInvalidCharacter, IdentifierPart.LocalPart)]
    [InlineData("mimi://a.example/u/al\"ice", IdentifierErrorCodes.SsiInvalidCharacter, IdentifierPart.LocalPart)]
    [InlineData("mimi://a.example/u/al<ice>", IdentifierErrorCodes.SsiInvalidCharacter, IdentifierPart.LocalPart)]
    [InlineData("mimi://a.example/u/%00", IdentifierErrorCodes.SsiInvalidCharacter, IdentifierPart.LocalPart)]
    [InlineData("mimi://a.example/u/a\u3000b", IdentifierErrorCodes.SsiInvalidCharacter, IdentifierPart.LocalPart)]
    public void Malformed_mimi_uris_are_rejected_with_a_code(string? input, string code, string part)
    {
        Assert.False(Ssi.TryParse(input, out var ssi, out var error));

        Assert.Null(ssi);
        Assert.Equal(code, error.Code);
        Assert.Equal(part, error.Part);
    }

    [Fact]
    public void Provider_of_a_user_is_the_provider_ssi()
    {
        var user = Ssi.Parse("mimi://Beta.Test/u/bob");

        Assert.Equal(Ssi.Parse("mimi://beta.test"), user.Provider);
        Assert.Equal(SsiKind.Provider, user.Provider.Kind);
        Assert.Same(user.Provider, user.Provider);
    }

    [Fact]
    public void Provider_of_a_provider_is_itself()
    {
        var provider = Ssi.Parse("mimi://beta.test");

        Assert.Same(provider, provider.Provider);
        Assert.Null(provider.LocalPart);
    }

    [Fact]
    public void Local_parts_are_case_sensitive()
    {
        Assert.NotEqual(Ssi.Parse("mimi://a.example/d/ClientA1"), Ssi.Parse("mimi://a.example/d/clienta1"));
    }

    [Fact]
    public void Kinds_with_the_same_local_part_differ()
    {
        Assert.NotEqual(Ssi.Parse("mimi://a.example/u/x"), Ssi.Parse("mimi://a.example/r/x"));
    }

    [Fact]
    public void Equality_and_hashing_follow_the_normalized_value()
    {
        var a = Ssi.Parse("MIMI://A.EXAMPLE/u/%61lice");
        var b = Ssi.Parse("mimi://a.example/u/alice");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Single(new HashSet<Ssi> { a, b });
    }

    [Fact]
    public void Parse_throws_an_exception_carrying_the_error()
    {
        var exception = Assert.Throws<IdentifierFormatException>(() => Ssi.Parse("mimi://a.example/x/alice"));

        Assert.Equal(IdentifierErrorCodes.SsiUnknownKind, exception.Error.Code);
        Assert.Equal(IdentifierPart.Kind, exception.Error.Part);
        Assert.Contains("'x'", exception.Message, StringComparison.Ordinal);
    }
}
