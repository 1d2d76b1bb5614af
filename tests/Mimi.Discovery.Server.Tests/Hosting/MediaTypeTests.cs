using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Hosting;

/// <summary>One media-type rule for every route that reads a body: another declared type is a 415 problem naming the route's.</summary>
public sealed class MediaTypeTests : IAsyncLifetime
{
    private readonly int _port = LoopbackPorts.FreeTcpPort();
    private readonly HostedProviderService _hosted;
    private ClientCredentials? _alpha;

    /// <summary>On Kestrel: the Mimi-Peer signature covers the raw request target, which only a real server reports.</summary>
    public MediaTypeTests() => _hosted = new(new Dictionary<string, string?> { ["Authority:Issuer"] = $"http://127.0.0.1:{_port}" });

    public async Task InitializeAsync()
    {
        _hosted.Service.UseKestrel(_port);
        _hosted.Service.StartServer();
        (_, _alpha) = await _hosted.Service.EnrolAsync("alpha.test");
    }

    public Task DisposeAsync()
    {
        _alpha?.Dispose();
        _hosted.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Regression_every_MIMI_route_refuses_a_text_plain_body_from_a_signed_peer_with_a_415_naming_octet_stream()
    {
        using var http = Http();
        var routes = await MimiRoutesAsync(http);
        Assert.Contains("/mimi/v1/identifierQuery/x", routes);
        foreach (var path in routes)
        {
            var response = await SendAsync(http, path, "text/plain");

            Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("urn:mimi-discovery:problem:unsupported-media-type", problem.GetProperty("type").GetString());
            Assert.Contains("application/octet-stream", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MIMI_routes_take_octet_stream_declared_or_not_declared()
    {
        using var http = Http();
        foreach (var path in await MimiRoutesAsync(http))
        {
            foreach (var type in new[] { "application/octet-stream", null })
            {
                var response = await SendAsync(http, path, type);

                // The signature holds and the media type is right: what is left is the (empty) message itself.
                Assert.True(response.StatusCode is not (HttpStatusCode.UnsupportedMediaType or HttpStatusCode.Unauthorized) && (int)response.StatusCode < 500,
                    $"{path} as {type ?? "(none)"}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    [Fact]
    public async Task A_hosted_clients_TLS_routes_and_a_JSON_route_name_their_media_type_in_the_415()
    {
        using var http = Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await _hosted.Service.Operator().GetAccessTokenAsync());
        foreach (var (path, expected) in new[]
                 {
                     ("/v1/client/keyMaterial", "application/octet-stream"),
                     ("/v1/client/rooms/x/update", "application/octet-stream"),
                     ("/v1/client/rooms/x/messages", "application/octet-stream"),
                     ("/v1/client/rooms/x/groupInfo", "application/octet-stream"),
                     ("/v1/lookup/private/evaluate", "application/octet-stream"),
                     ("/v1/authority/import", "application/x-ndjson"),
                     ("/v1/providers", "application/json"),
                 })
        {
            var response = await http.PostAsync(path, new StringContent("x", System.Text.Encoding.UTF8, "text/plain"));

            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    private HttpClient Http() => new() { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };

    private static async Task<List<string>> MimiRoutesAsync(HttpClient http)
    {
        var openapi = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        return openapi.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/mimi/v1/", StringComparison.Ordinal) && p.Value.TryGetProperty("post", out _))
            .Select(p => Regex.Replace(p.Name, "{[^}]+}", "x"))
            .ToList();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string? contentType)
    {
        byte[] body = [0];
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue(PeerRequestToken.Scheme,
            PeerRequestToken.Create(_alpha!, "beta.test", "POST", path, body, DateTimeOffset.UtcNow));
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
