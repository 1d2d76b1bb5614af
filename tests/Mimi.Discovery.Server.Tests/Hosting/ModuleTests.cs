using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Peers;

namespace Mimi.Discovery.Server.Tests.Hosting;

/// <summary>The capability modules: what exists depends on configuration, decided once at start-up, not per request.</summary>
public sealed class ModuleTests
{
    [Fact]
    public async Task Without_a_delivery_domain_the_delivery_core_consent_and_peers_are_neither_registered_nor_mapped()
    {
        using var service = new ServiceFactory();
        var http = service.CreateClient();

        Assert.Null(service.Services.GetService<Hub>());
        Assert.Null(service.Services.GetService<OutboxWorker>());
        Assert.DoesNotContain(service.Services.GetServices<IHostedService>(), h => h is OutboxWorker);

        // Unmapped: the public directory document is an unknown path like any other (a 404 problem for a client, 401
        // for a stranger, HostingTests), and no delivery, consent or MIMI route is documented.
        var stranger = await http.GetAsync(new Uri("/.well-known/mimi-protocol-directory", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        var operatorHttp = service.CreateClient();
        operatorHttp.DefaultRequestHeaders.Authorization = new("Bearer", await service.Operator().GetAccessTokenAsync());
        var directory = await operatorHttp.GetAsync(new Uri("/.well-known/mimi-protocol-directory", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, directory.StatusCode);
        Assert.Equal("application/problem+json", directory.Content.Headers.ContentType?.MediaType);
        using var openApi = JsonDocument.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = openApi.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/lookup", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/v1/delivery", StringComparison.Ordinal) || p.StartsWith("/v1/client", StringComparison.Ordinal)
            || p.StartsWith("/mimi", StringComparison.Ordinal) || p.StartsWith("/.well-known/mimi-protocol", StringComparison.Ordinal));

        // A Mimi-Peer token meets no peer scheme: the caller is simply not authenticated.
        var operatorRoute = new HttpRequestMessage(HttpMethod.Get, "/v1/providers");
        operatorRoute.Headers.TryAddWithoutValidation("Authorization", "Mimi-Peer a.b.c");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(operatorRoute)).StatusCode);
    }

    [Fact]
    public async Task With_a_delivery_domain_the_delivery_core_is_registered_and_mapped()
    {
        using var keys = new TemporaryKeyFile("alpha.test");
        using var service = new ServiceFactory(settings: new Dictionary<string, string?>
        {
            ["Delivery:Domain"] = "alpha.test",
            ["Delivery:ProviderKeyFile"] = keys.Path,
        });
        var http = service.CreateClient();

        Assert.NotNull(service.Services.GetService<Hub>());
        Assert.Contains(service.Services.GetServices<IHostedService>(), h => h is OutboxWorker);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/.well-known/mimi-protocol-directory", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Regression_a_delivery_domain_with_a_trailing_dot_and_capitals_passed_validation_and_kept_its_dot()
    {
        using var keys = new TemporaryKeyFile("alpha.test");
        using var service = new ServiceFactory(settings: new Dictionary<string, string?>
        {
            ["Delivery:Domain"] = "Alpha.Test.",
            ["Delivery:ProviderKeyFile"] = keys.Path,
        });

        // The one normalization (ProviderDomain.TryNormalize) the validator accepted the domain with is the one used.
        var user = await service.Operator().CreateHostedUserAsync("bob", "open");
        Assert.Equal("mimi://alpha.test/u/bob", user.User);
    }

    /// <summary>A provider key file the delivery core can load, deleted with the test.</summary>
    private sealed class TemporaryKeyFile : IDisposable
    {
        public TemporaryKeyFile(string domain)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mimi-provider-" + Guid.NewGuid().ToString("N")[..12] + ".key");
            ClientCredentials.GenerateEs256(domain).Save(Path);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
