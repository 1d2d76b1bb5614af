using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Authentication;

public sealed class ProvidersApiTests : IDisposable
{
    private readonly ServiceFactory _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Operator_enrols_lists_and_suspends_providers()
    {
        var admin = _service.Operator();
        await _service.EnrolAsync("alpha.test", trusted: true);
        await _service.EnrolAsync("Beta.TEST");

        var listed = await admin.ListProvidersAsync();
        Assert.Equal(["alpha.test", "beta.test"], listed.Select(p => p.Domain));
        Assert.True(listed[0].Trusted);
        Assert.Equal("suspended", (await admin.SuspendProviderAsync("beta.test")).Status);
        Assert.Equal("active", (await admin.ReinstateProviderAsync("beta.test")).Status);
    }

    [Fact]
    public async Task A_provider_cannot_call_operator_endpoints()
    {
        var (alpha, _) = await _service.EnrolAsync("alpha.test");

        var refused = await Assert.ThrowsAsync<MimiApiException>(() => alpha.ListProvidersAsync());
        var suspend = await Assert.ThrowsAsync<MimiApiException>(() => alpha.SuspendProviderAsync("alpha.test"));

        Assert.Equal(403, refused.Status);
        Assert.Equal(403, suspend.Status);
    }

    [Fact]
    public async Task Enrolling_a_private_key_is_refused_naming_the_field()
    {
        var response = await PostAsOperatorAsync("/v1/providers", """
            {"domain":"alpha.test","contact":"ops@alpha.test","keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"secret"}]}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("keys[0]", problem.GetProperty("field").GetString());
        Assert.Contains("private key", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"domain":"no_underscores.test","contact":"x","keys":[]}""", "invalid-identifier", "domain")]
    [InlineData("""{"domain":"alpha.test","contact":"","keys":[]}""", "invalid-request", "contact")]
    [InlineData("""{"domain":"alpha.test","contact":"x","keys":[]}""", "invalid-request", "keys")]
    public async Task Bad_enrolments_are_400_problems_naming_the_field(string body, string kind, string field)
    {
        var response = await PostAsOperatorAsync("/v1/providers", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:mimi-discovery:problem:" + kind, problem.GetProperty("type").GetString());
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_not_a_500()
    {
        var response = await PostAsOperatorAsync("/v1/providers", """{"domain": "alpha.test", "contact": """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:mimi-discovery:problem:invalid-request", problem.GetProperty("type").GetString());
        Assert.Contains("JSON", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Enrolling_the_same_domain_twice_is_a_conflict()
    {
        await _service.EnrolAsync("alpha.test");

        var again = await Assert.ThrowsAsync<MimiApiException>(() => _service.EnrolAsync("alpha.test"));

        Assert.Equal(409, again.Status);
    }

    private async Task<HttpResponseMessage> PostAsOperatorAsync(string path, string json)
    {
        var http = _service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _service.Operator().GetAccessTokenAsync());
        return await http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
    }
}
