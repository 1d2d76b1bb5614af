using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Telemetry;
using Mimi.Discovery.Server.Tests.Deploy;
using OpenTelemetry.Metrics;

namespace Mimi.Discovery.Server.Tests.Telemetry;

/// <summary>
/// Where <c>/metrics</c> is served (<c>Telemetry:Metrics:Exposure</c>): by default on a management address of its own
/// that serves nothing else, never on the main port; on the main port only when the operator says so; or nowhere.
/// </summary>
public sealed partial class MetricsExposureTests
{
    [Fact]
    public async Task By_default_metrics_are_on_the_loopback_management_address_which_serves_nothing_else()
    {
        using var service = new ServiceFactory();
        var operatorHttp = await OperatorHttpAsync(service);
        Assert.Equal(HttpStatusCode.OK, (await operatorHttp.GetAsync(new Uri("/v1/providers", UriKind.Relative))).StatusCode);

        var management = service.Services.GetRequiredService<ManagementServer>().Address!;
        Assert.True(management.IsLoopback, management.ToString());
        using var scraper = new HttpClient { BaseAddress = management };
        var metrics = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/v1/providers/\"", text, StringComparison.Ordinal);

        // Nothing but /metrics there: not the API, not health, not the OpenAPI document.
        foreach (var path in new[] { "/", "/healthz", "/readyz", "/v1/providers", "/openapi/v1.json", "/metrics/x", "/console" })
        {
            var other = await scraper.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(other.StatusCode == HttpStatusCode.NotFound, $"{path} on the management address: {other.StatusCode}");
        }

        // And no /metrics on the main port: an unknown path (401 for a stranger, 404 for a client).
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.CreateClient().GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorHttp.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task With_exposure_Main_metrics_are_on_the_main_port_for_any_caller_and_no_management_address_exists()
    {
        using var service = new ServiceFactory(settings: new Dictionary<string, string?> { ["Telemetry:Metrics:Exposure"] = "Main" });
        var http = service.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);

        var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("http_route=\"/healthz\"", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(service.Services.GetService<ManagementServer>());
        var openApi = await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.DoesNotContain("\"/metrics\"", openApi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_exposure_Off_metrics_are_served_nowhere_and_no_meter_provider_exists()
    {
        using var service = new ServiceFactory(settings: new Dictionary<string, string?> { ["Telemetry:Metrics:Exposure"] = "Off" });
        var operatorHttp = await OperatorHttpAsync(service);

        Assert.Equal(HttpStatusCode.NotFound, (await operatorHttp.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        Assert.Null(service.Services.GetService<ManagementServer>());
        Assert.Null(service.Services.GetService<MeterProvider>());
    }

    [Theory]
    [InlineData("https://127.0.0.1:9464")]
    [InlineData("http://127.0.0.1:9464/metrics")]
    [InlineData("http://metrics.example:9464")]
    [InlineData("127.0.0.1:9464")]
    public void A_management_url_that_cannot_be_a_management_listener_is_refused_naming_the_setting(string url)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { Metrics = { ManagementUrl = url } });

        Assert.True(result.Failed);
        Assert.Contains("Telemetry:Metrics:ManagementUrl", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(url, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_management_port_already_taken_stops_start_up_with_one_line_naming_the_setting()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var data = Directory.CreateTempSubdirectory("mimi-config-").FullName;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = data,
                ["Urls"] = "http://127.0.0.1:0",
                ["Authority:Issuer"] = "http://127.0.0.1",
                ["Telemetry:Metrics:ManagementUrl"] = $"http://127.0.0.1:{port}",
            });
            builder.Logging.ClearProviders();
            builder.AddMimiDiscovery();
            await using var app = builder.Build();
            app.UseMimiDiscovery();

            var error = await Assert.ThrowsAsync<StartupException>(() => app.StartAsync());

            Assert.StartsWith($"Telemetry:Metrics:ManagementUrl: cannot listen on http://127.0.0.1:{port}", StartupException.Describe(error), StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task The_published_service_lists_its_management_address_at_start_up_and_serves_metrics_there()
    {
        var published = await PublishedService.DirectoryAsync();
        var environment = PublishedService.DockerfileEnvironment();
        var port = LoopbackPorts.FreeTcpPort();
        var data = Directory.CreateTempSubdirectory("mimi-published-").FullName;
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment["Storage__DataDirectory"] = data;
        // deploy/ names the address in its ConfigMap; here a port chosen at bind time, which only the listing tells.
        environment["Telemetry__Metrics__ManagementUrl"] = "http://127.0.0.1:0";
        try
        {
            await using var service = ServiceProcess.Start(published, environment);
            await service.WaitUntilAnsweringAsync(new Uri($"http://127.0.0.1:{port}"), "/readyz");

            var listed = ListedManagementAddress().Match(service.StandardOutput);
            Assert.True(listed.Success, service.Output);
            Assert.Contains($"Now listening on: http://127.0.0.1:{port}", service.StandardOutput, StringComparison.Ordinal);
            using var scraper = new HttpClient { BaseAddress = new Uri(listed.Groups["address"].Value) };
            var text = await scraper.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Contains("http_route=\"/readyz\"", text, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
            using var main = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.Equal(HttpStatusCode.Unauthorized, (await main.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<HttpClient> OperatorHttpAsync(ServiceFactory service)
    {
        var http = service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await service.Operator().GetAccessTokenAsync());
        return http;
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:[1-9][0-9]*) \(management: /metrics only\)")]
    private static partial Regex ListedManagementAddress();
}
