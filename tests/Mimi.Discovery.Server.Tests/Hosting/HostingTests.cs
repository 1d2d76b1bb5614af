using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;

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
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data,
            ["Urls"] = "http://127.0.0.1:0",
            ["Authority:Issuer"] = "http://127.0.0.1",
            [key] = value,
        });
        builder.AddMimiDiscovery();
        await using var app = builder.Build();
        app.UseMimiDiscovery();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(named, string.Join(" ", error.Failures));
        Directory.Delete(data, recursive: true);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://[::]:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://127.0.0.1:0")]
    public async Task Without_an_issuer_a_wildcard_address_or_a_chosen_port_stops_start_up_naming_Authority_Issuer(string urls)
    {
        var data = Directory.CreateTempSubdirectory("mimi-config-").FullName;
        try
        {
            await using var app = Build(new Dictionary<string, string?> { ["Storage:DataDirectory"] = data, ["Urls"] = urls });

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

            Assert.Contains("Authority:Issuer is not set", string.Join(" ", error.Failures));
            Assert.Contains(urls, string.Join(" ", error.Failures));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("Urls", "http://127.0.0.1:{0}", "http://127.0.0.1:{0}")]
    [InlineData("Urls", "http://LOCALHOST:{0}/", "http://localhost:{0}")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:{0}", "http://127.0.0.1:{0}")]
    public async Task Without_an_issuer_the_first_listening_address_is_the_issuer(string setting, string address, string issuer)
    {
        var data = Directory.CreateTempSubdirectory("mimi-config-").FullName;
        var port = LoopbackPorts.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await using var app = Build(new Dictionary<string, string?> { ["Storage:DataDirectory"] = data, [setting] = address.Replace("{0}", port, StringComparison.Ordinal) });
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            var metadata = await http.GetFromJsonAsync<JsonElement>("/.well-known/oauth-authorization-server");

            var expected = issuer.Replace("{0}", port, StringComparison.Ordinal);
            Assert.Equal(expected, metadata.GetProperty("issuer").GetString());
            Assert.Equal(expected + "/oauth2/token", metadata.GetProperty("token_endpoint").GetString());
            await app.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("keys", "755")]
    [InlineData("keys", "750")]
    [InlineData("keys/ca", "705")]
    public async Task Regression_key_directory_readable_by_others_was_accepted_at_start_up(string directory, string mode)
    {
        var data = Directory.CreateTempSubdirectory("mimi-keys-").FullName;
        var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = data, ["Urls"] = "http://127.0.0.1:0", ["Authority:Issuer"] = "http://127.0.0.1" };
        try
        {
            await using (var first = Build(settings))
            {
                await first.StartAsync(); // creates the keys, their directories 0700
                await first.StopAsync();
            }

            var path = Path.Combine(data, directory);
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(mode, 8));
            await using var second = Build(settings);

            var error = await Assert.ThrowsAsync<StartupException>(() => second.StartAsync());

            Assert.Equal($"Key directory '{path}' has mode 0{mode} and is accessible by group or others; it must be accessible by its owner only (run: chmod 700 '{path}').",
                StartupException.Describe(error));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
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
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(service.KeyDirectory, "ca")));
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Telemetry:Metrics:ManagementUrl"] = "http://127.0.0.1:0" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddMimiDiscovery();
        var app = builder.Build();
        app.UseMimiDiscovery();
        return app;
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
