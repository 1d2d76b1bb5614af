using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Authentication;

public sealed class TokenEndpointTests : IDisposable
{
    private readonly ServiceFactory _service = new();

    public void Dispose() => _service.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Provider_gets_a_token_with_an_ES256_or_EdDSA_client_assertion(bool ed25519)
    {
        var (client, _) = await _service.EnrolAsync("alpha.test", ed25519: ed25519);

        var token = await client.GetAccessTokenAsync();

        var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement;
        Assert.Equal("alpha.test", payload.GetProperty("sub").GetString());
        Assert.Equal("provider", payload.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Replayed_jti_is_refused()
    {
        var (_, credentials) = await _service.EnrolAsync("alpha.test");
        var assertion = credentials.CreateAssertion("http://localhost/oauth2/token", DateTimeOffset.UtcNow, jti: "same-jti");

        var first = await PostAssertionAsync(assertion);
        var second = await PostAssertionAsync(assertion);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var problem = await ProblemAsync(second);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("invalid_grant", problem.GetProperty("error").GetString());
        Assert.Contains("replay", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("http://localhost/somewhere-else", 60, "aud")]
    [InlineData("http://localhost/oauth2/token", -120, "expired")]
    [InlineData("http://localhost/oauth2/token", 3600, "too long")]
    public async Task Assertion_with_wrong_audience_or_lifetime_is_refused(string audience, int lifetimeSeconds, string reason)
    {
        var (_, credentials) = await _service.EnrolAsync("alpha.test");
        var now = DateTimeOffset.UtcNow;
        var assertion = lifetimeSeconds < 0
            ? credentials.CreateAssertion(audience, now.AddSeconds(lifetimeSeconds - 60), TimeSpan.FromSeconds(60))
            : credentials.CreateAssertion(audience, now, TimeSpan.FromSeconds(lifetimeSeconds));

        var response = await PostAssertionAsync(assertion);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("invalid_client", problem.GetProperty("error").GetString());
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
        Assert.Equal("urn:mimi-discovery:problem:oauth-invalid-client", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Assertion_signed_by_an_unenrolled_key_is_refused()
    {
        await _service.EnrolAsync("alpha.test");
        using var impostor = ClientCredentials.GenerateEs256("alpha.test");

        var response = await PostAssertionAsync(impostor.CreateAssertion("http://localhost/oauth2/token", DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Suspension_refuses_the_providers_existing_token_at_once()
    {
        var (client, _) = await _service.EnrolAsync("alpha.test");
        var token = await client.GetAccessTokenAsync();
        var http = _service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/providers/me")).StatusCode);

        await _service.Operator().SuspendProviderAsync("alpha.test");

        var refused = await http.GetAsync("/v1/providers/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var again = await Assert.ThrowsAsync<MimiApiException>(() => _service.As(ClientCredentials.GenerateEs256("x")).GetAccessTokenAsync());
        Assert.Equal(401, again.Status);
    }

    [Fact]
    public async Task Regression_a_token_from_before_a_suspension_stays_dead_after_reinstatement()
    {
        var (client, credentials) = await _service.EnrolAsync("alpha.test");
        using var http = _service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.GetAccessTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/providers/me")).StatusCode);

        await _service.Operator().SuspendProviderAsync("alpha.test");
        await _service.Operator().ReinstateProviderAsync("alpha.test");

        var old = await http.GetAsync("/v1/providers/me");
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        // A token issued after the reinstatement works.
        using var fresh = _service.CreateClient();
        fresh.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _service.As(credentials).GetAccessTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/v1/providers/me")).StatusCode);
    }

    [Fact]
    public async Task A_token_dies_with_the_key_it_was_exchanged_for()
    {
        var (client, credentials) = await _service.EnrolAsync("alpha.test");
        using var next = ClientCredentials.GenerateEs256("alpha.test");
        using var http = _service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.GetAccessTokenAsync());
        var admin = _service.Operator();
        await admin.AddProviderKeyAsync("alpha.test", next.PublicJwk);
        using var current = _service.CreateClient();
        current.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _service.As(next).GetAccessTokenAsync());

        await admin.RetireProviderKeyAsync("alpha.test", credentials.KeyId);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/providers/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await current.GetAsync("/v1/providers/me")).StatusCode);
    }

    [Fact]
    public async Task Retired_key_can_no_longer_sign_assertions()
    {
        var (client, credentials) = await _service.EnrolAsync("alpha.test");
        using var next = ClientCredentials.GenerateEs256("alpha.test");
        var admin = _service.Operator();
        await admin.AddProviderKeyAsync("alpha.test", next.PublicJwk);
        await admin.RetireProviderKeyAsync("alpha.test", credentials.KeyId);

        var refused = await Assert.ThrowsAsync<MimiApiException>(() => client.GetAccessTokenAsync());
        Assert.Equal(401, refused.Status);
        Assert.NotEmpty(await _service.As(next).GetAccessTokenAsync());
    }

    [Fact]
    public async Task Calls_without_a_token_get_a_problem_401()
    {
        var response = await _service.CreateClient().GetAsync("/v1/providers");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("urn:mimi-discovery:problem:unauthenticated", (await ProblemAsync(response)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Wrong_grant_type_is_a_clear_400()
    {
        var response = await _service.CreateClient().PostAsync("/oauth2/token",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await ProblemAsync(response)).GetProperty("error").GetString());
    }

    private Task<HttpResponseMessage> PostAssertionAsync(string assertion) =>
        _service.CreateClient().PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        }));

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>());
}
