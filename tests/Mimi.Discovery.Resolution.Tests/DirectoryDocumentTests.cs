using System.Text;
using System.Text.RegularExpressions;

namespace Mimi.Discovery.Resolution.Tests;

public sealed class DirectoryDocumentTests
{
    private static readonly Uri Source = new("https://mimi.beta.test/.well-known/mimi-protocol-directory");
    private static readonly string[] Hosts = ["mimi.beta.test", "beta.test"];

    private static DirectoryParse Parse(string json, bool allowHttp = false) =>
        DirectoryDocument.Parse(Encoding.UTF8.GetBytes(json), Source, Hosts, allowHttp);

    [Fact]
    public void Https_urls_on_the_expected_hosts_are_accepted()
    {
        var parse = Parse("""{ "keyMaterial": "https://mimi.beta.test/v1/keyMaterial/{targetUser}", "notify": "https://beta.test:8443/notify/{roomId}" }""");

        Assert.Equal(DirectoryStatus.Ok, parse.Status);
        Assert.Equal(2, parse.Directory!.Endpoints.Count);
    }

    [Theory]
    [InlineData("""{ "keyMaterial": "http://mimi.beta.test/v1/keyMaterial/{targetUser}" }""", "only https")]
    [InlineData("""{ "keyMaterial": "ftp://mimi.beta.test/x" }""", "only https")]
    [InlineData("""{ "keyMaterial": "/v1/keyMaterial/{targetUser}" }""", "not an absolute URL")]
    [InlineData("""{ "keyMaterial": "https://evil.test/v1/keyMaterial" }""", "host 'evil.test'")]
    [InlineData("""{ "keyMaterial": "https://mimi.beta.test.evil.test/v1" }""", "host 'mimi.beta.test.evil.test'")]
    [InlineData("""{ "keyMaterial": "https://user:pw@mimi.beta.test/v1" }""", "user information")]
    [InlineData("""{ "keyMaterial": "https://{host}/v1" }""", "variable in its host")]
    [InlineData("""{ "keyMaterial": "https://mimi.beta.test/v1/{target" }""", "unmatched '{'")]
    [InlineData("""{ "keyMaterial": "https://mimi.beta.test/v1/{a b}" }""", "invalid variable")]
    [InlineData("""{ "keyMaterial": 42 }""", "not a URL string")]
    [InlineData("""{ "keyMaterial": "https://mimi.beta.test/a", "keyMaterial": "https://mimi.beta.test/b" }""", "appears twice")]
    [InlineData("""{ "somethingElse": "https://mimi.beta.test/a" }""", "no known endpoint")]
    [InlineData("""[ "https://mimi.beta.test/a" ]""", "not an object")]
    public void Bad_documents_are_rejected_with_a_clear_reason(string json, string reason)
    {
        var parse = Parse(json);

        Assert.Equal(DirectoryStatus.InvalidDocument, parse.Status);
        Assert.Null(parse.Directory);
        Assert.Contains(reason, parse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_is_accepted_only_when_allowed()
    {
        const string Json = """{ "keyMaterial": "http://mimi.beta.test/v1/keyMaterial/{targetUser}" }""";

        Assert.Equal(DirectoryStatus.InvalidDocument, Parse(Json).Status);
        Assert.Equal(DirectoryStatus.Ok, Parse(Json, allowHttp: true).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("<html>nope</html>")]
    public void Non_json_is_invalid_json(string body)
    {
        Assert.Equal(DirectoryStatus.InvalidJson, Parse(body).Status);
    }

    [Theory]
    [InlineData("""{ "keyMaterial": "https://mimi.beta.test/\ud800/{targetUser}" }""")]
    [InlineData("""{ "keyMaterial": "https://mimi.beta.test/{targetUser}", "<FF>": "x" }""")]
    [InlineData("""{ "keyMaterial": "https://mimi.beta.test/{targetUser}", "ignored": "<C0><AF>" }""")]
    public void Json_holding_text_that_is_not_Unicode_is_invalid_json(string json)
    {
        // <XX> stands for the raw byte 0xXX, which is not UTF-8 here.
        var body = Encoding.Latin1.GetBytes(Regex.Replace(json, "<([0-9A-F]{2})>", m => ((char)Convert.ToByte(m.Groups[1].Value, 16)).ToString()));

        var parse = DirectoryDocument.Parse(body, Source, Hosts, allowHttp: false);

        Assert.Equal(DirectoryStatus.InvalidJson, parse.Status);
        Assert.Contains("not valid Unicode", parse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Expansion_percent_encodes_the_value_so_the_host_cannot_change()
    {
        var directory = Parse("""{ "proxyDownload": "https://mimi.beta.test/v1/proxyDownload/{downloadUrl}" }""").Directory!;

        var uri = directory.Expand(MimiEndpoint.ProxyDownload, "https://evil.test/@x?y#z");

        Assert.Equal("mimi.beta.test", uri!.Host);
        Assert.Equal("https://mimi.beta.test/v1/proxyDownload/https%3A%2F%2Fevil.test%2F%40x%3Fy%23z", uri.AbsoluteUri);
        Assert.Null(directory.Expand(MimiEndpoint.Notify, "x"));
    }
}
