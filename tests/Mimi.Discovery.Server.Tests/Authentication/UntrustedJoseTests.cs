using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Hosting;

namespace Mimi.Discovery.Server.Tests.Authentication;

/// <summary>
/// JOSE input whose JSON holds text that is not Unicode (a lone surrogate escape, invalid UTF-8 bytes) on every route
/// that reads it: refused as a 4xx problem before anything else, never a 500.
/// </summary>
public sealed class UntrustedJoseTests : IDisposable
{
    // {"alg":"\ud800"}, as the outside testing sent it, and {"alg":"<0xFF>"}.
    private const string LoneSurrogateJws = "eyJhbGciOiJcdWQ4MDAifQ.e30.AA";
    private static readonly string InvalidUtf8Jws = Base64Url.EncodeToString([.. "{\"alg\":\""u8, 0xFF, .. "\"}"u8]) + ".e30.AA";

    private readonly HostedProviderService _hosted = new();

    public static TheoryData<string> BrokenJws => [LoneSurrogateJws, InvalidUtf8Jws, "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJcdWRmZmYifQ.AA"];

    public static TheoryData<string> BrokenText => ["\\ud800", "\\udc00\\ud800", "\xFF"];

    public void Dispose() => _hosted.Dispose();

    [Theory]
    [MemberData(nameof(BrokenJws))]
    public async Task Regression_a_client_assertion_holding_text_that_is_not_Unicode_is_a_401_problem_not_a_500(string assertion)
    {
        var response = await _hosted.Service.CreateClient().PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("urn:mimi-discovery:problem:oauth-invalid-client", (await ProblemAsync(response)).GetProperty("type").GetString());
    }

    [Theory]
    [MemberData(nameof(BrokenJws))]
    public async Task Regression_a_Mimi_Peer_token_holding_text_that_is_not_Unicode_is_a_401_problem_on_every_MIMI_route(string token)
    {
        var http = _hosted.Service.CreateClient();
        var openapi = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var routes = openapi.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/mimi/v1/", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count >= 9, "the OpenAPI document lists the MIMI routes");

        foreach (var route in routes)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route.Name, "{[^}]+}", "mimi%3A%2F%2Fbeta.test%2Fu%2Fbob");
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent([0, 1]) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Headers.TryAddWithoutValidation("Authorization", "Mimi-Peer " + token);

            var response = await http.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("urn:mimi-discovery:problem:unauthenticated", (await ProblemAsync(response)).GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Regression_a_refused_peer_request_answered_an_undocumented_unauthorized_problem_type()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mimi/v1/identifierQuery/hosted.test") { Content = new ByteArrayContent([0, 1]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var response = await _hosted.Service.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("urn:mimi-discovery:problem:unauthenticated", (await ProblemAsync(response)).GetProperty("type").GetString());
    }

    [Theory]
    [MemberData(nameof(BrokenText))]
    public async Task Regression_a_jwk_holding_text_that_is_not_Unicode_is_a_400_naming_the_key_on_enrolment_key_and_hosted_client_routes(string text)
    {
        var http = _hosted.Service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await _hosted.Service.Operator().GetAccessTokenAsync());
        using var credentials = ClientCredentials.GenerateEs256("gamma.test");
        await _hosted.Service.Operator().EnrolProviderAsync("gamma.test", "ops@gamma.test", [credentials.PublicJwk]);
        foreach (var (path, body, field) in new[]
                 {
                     ("/v1/providers", "{\"domain\":\"delta.test\",\"contact\":\"ops@delta.test\",\"keys\":[JWK]}", "keys[0]"),
                     ("/v1/providers/gamma.test/keys", "JWK", "jwk"),
                     ("/v1/delivery/users/bob/clients", "{\"name\":\"phone\",\"jwk\":JWK}", "jwk"),
                 })
        {
            foreach (var jwk in new[] { "{\"kty\":\"EC\",\"crv\":\"TEXT\"}", "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\",\"kid\":\"TEXT\"}", "{\"TEXT\":1,\"kty\":\"EC\"}" })
            {
                var json = body.Replace("JWK", jwk.Replace("TEXT", text), StringComparison.Ordinal);
                var content = new ByteArrayContent(Latin1Escapes(json));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

                var response = await http.PostAsync(path, content);

                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {json}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                var problem = await ProblemAsync(response);
                Assert.Equal("urn:mimi-discovery:problem:invalid-request", problem.GetProperty("type").GetString());
                Assert.Equal(field, problem.GetProperty("field").GetString());
            }
        }
    }

    [Fact]
    public async Task Regression_an_Ed25519_jwk_whose_x_is_not_a_point_is_a_400_naming_the_key_not_a_500()
    {
        var http = _hosted.Service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await _hosted.Service.Operator().GetAccessTokenAsync());
        var x = Base64Url.EncodeToString(Enumerable.Repeat((byte)0xFF, 32).ToArray());

        var response = await http.PostAsJsonAsync("/v1/providers", new
        {
            domain = "epsilon.test",
            contact = "ops@epsilon.test",
            keys = new[] { new { kty = "OKP", crv = "Ed25519", x } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("keys[0]", (await ProblemAsync(response)).GetProperty("field").GetString());
    }

    /// <summary>UTF-8 of <paramref name="json"/>, except that a char \xFF stands for the raw (invalid) byte 0xFF.</summary>
    private static byte[] Latin1Escapes(string json) =>
        [.. json.Split('\xFF').SelectMany((piece, i) => i == 0 ? Encoding.UTF8.GetBytes(piece) : [0xFF, .. Encoding.UTF8.GetBytes(piece)])];

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
