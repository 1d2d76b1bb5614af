namespace Mimi.Discovery.Protocol.Tests.Messages;

public class MimiUriTests
{
    [Theory]
    [InlineData("mimi://a.example", MimiUriKind.Provider, "a.example", null)]
    [InlineData("mimi://a.example/u/alice", MimiUriKind.User, "a.example", "alice")]
    [InlineData("mimi://a.example/d/ClientA1", MimiUriKind.Client, "a.example", "ClientA1")]
    [InlineData("mimi://A.Example/r/clubhouse", MimiUriKind.Room, "a.example", "clubhouse")]
    [InlineData("mimi://hub.example/r/Rl33FWLCYWOwxHrYnpWDQg", MimiUriKind.Room, "hub.example", "Rl33FWLCYWOwxHrYnpWDQg")]
    [InlineData("mimi://a.example/g/clubhouse", MimiUriKind.Group, "a.example", "clubhouse")]
    public void The_drafts_examples_parse(string text, MimiUriKind kind, string domain, string? id)
    {
        Assert.True(MimiUri.TryParse(text, out var uri));
        Assert.Equal(new MimiUri(kind, domain, id), uri);
        Assert.Equal(text.ToLowerInvariant(), uri.ToString().ToLowerInvariant());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://a.example/u/alice")]
    [InlineData("mimi://")]
    [InlineData("mimi://a.example/")]
    [InlineData("mimi://a.example/x/alice")]
    [InlineData("mimi://a.example/u/")]
    [InlineData("mimi://a.example/u/al/ice")]
    [InlineData("mimi://a..example/u/alice")]
    [InlineData("mimi://a.example/u/al%2")]
    public void Malformed_uris_are_refused(string? text) => Assert.False(MimiUri.TryParse(text, out _));

    [Fact]
    public void Factories_build_the_drafts_shapes()
    {
        Assert.Equal("mimi://beta.test/u/bob", MimiUri.User("Beta.Test", "bob").ToString());
        Assert.Equal("mimi://beta.test", MimiUri.Provider("beta.test").ToString());
        Assert.Throws<ArgumentException>(() => MimiUri.User("beta.test", "b/ob"));
    }
}
