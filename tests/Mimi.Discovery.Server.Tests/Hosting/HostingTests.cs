using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Hosting;

public sealed class HostingTests
{
    [Theory]
    [InlineData("Storage:Provider", "Postgres", "Storage:ConnectionString")]
    [InlineData("Authority:Issuer", "not a url", "Authority:Issuer")]
    [InlineData("ProofOfControl:Gateway", "Http", "ProofOfControl:Http:Url")]
    [InlineData("Authentication:TokenSigningKey", "c2hvcnQ=", "Authentication:TokenSigningKey")]
    [InlineData("Lookup:IndexRefreshInterval", "00:00:00.001", "IndexRefreshInterval")]
    [InlineData("Purge:InboundMessageRetention", "1.00:00:00", "Purge:InboundMessageRetention")]
    [InlineData("Purge:BatchSize", "0", "BatchSize")]
    public async Task A_wrong_setting_stops_start_up_naming_the_setting(string key, string value, string named)
    {
        var data = Directory.CreateTempSubdirectory("mimi-config-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = data, ["Urls"] = "http://127.0.0.1:0", [key] = value });
        builder.AddMimiDiscovery();
        await using var app = builder.Build();
        app.UseMimiDiscovery();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(named, string.Join(" ", error.Failures));
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Health_and_readiness_answer_and_the_openapi_document_names_every_endpoint()
    {
        using var service = new ServiceFactory();
        var http = service.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        var ready = await http.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal("sqlite", ready.GetProperty("database").GetString());
        var openapi = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openapi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var expected in new[] { "/oauth2/token", "/v1/providers", "/v1/authority/challenges", "/v1/authority/credentials", "/log/checkpoint",
                     "/log/proof/inclusion", "/log/proof/consistency", "/.well-known/jwks.json", "/ca/intermediate.crl" })
        {
            Assert.Contains(expected, paths);
        }
    }

    [Fact]
    public async Task Oversized_bodies_are_a_413_problem()
    {
        using var service = new ServiceFactory(settings: new Dictionary<string, string?> { ["Limits:MaxRequestBodyBytes"] = "2048" });
        var http = service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await service.Operator().GetAccessTokenAsync());

        var response = await http.PostAsync("/v1/providers", new StringContent("{\"domain\":\"" + new string('a', 10_000) + "\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("urn:mimi-discovery:problem:request-too-large", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Unknown_paths_are_problem_404s_for_clients_and_401s_for_strangers()
    {
        using var service = new ServiceFactory();
        var http = service.CreateClient();

        var stranger = await http.GetAsync("/v1/nothing-here");
        http.DefaultRequestHeaders.Authorization = new("Bearer", await service.Operator().GetAccessTokenAsync());
        var client = await http.GetAsync("/v1/nothing-here");

        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, client.StatusCode);
        Assert.Equal("urn:mimi-discovery:problem:not-found", (await client.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_operator_can_turn_private_lookups_off()
    {
        using var service = new ServiceFactory(settings: new Dictionary<string, string?> { ["PrivateLookup:Enabled"] = "false" });
        var (provider, _) = await service.EnrolAsync("alpha.test");
        var http = service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await provider.GetAccessTokenAsync());

        var response = await http.GetAsync("/v1/lookup/private/key");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("none", (await provider.LookupAsync(["tel:+15550001111"])).Results[0].Status); // plain lookups still answer
    }

    [Fact]
    public async Task Keys_on_disk_are_owner_only()
    {
        using var service = new ServiceFactory();
        await service.CreateClient().GetAsync("/healthz");

        foreach (var file in Directory.EnumerateFiles(service.KeyDirectory, "*.key", SearchOption.AllDirectories))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(service.KeyDirectory));
    }

    [Fact]
    public async Task The_service_restarts_on_its_existing_data_directory_with_the_same_keys()
    {
        using var first = new ServiceFactory();
        var jwks = await first.CreateClient().GetStringAsync("/.well-known/jwks.json");
        var directory = first.DataDirectory;

        using var second = new ServiceFactory(settings: new Dictionary<string, string?> { ["Storage:DataDirectory"] = directory });

        Assert.Equal(jwks, await second.CreateClient().GetStringAsync("/.well-known/jwks.json"));
    }
}
