using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;
using OpenTelemetry.Metrics;

namespace Mimi.Discovery.Server.Telemetry;

/// <summary>
/// The management listener: a Kestrel server of its own on <c>Telemetry:Metrics:ManagementUrl</c> that serves
/// <c>/metrics</c> and nothing else (every other path is a bare 404). Being a separate server, none of the API's routes,
/// authentication or middleware exist on it, and <c>/metrics</c> does not exist on the main port.
/// </summary>
internal sealed partial class ManagementServer(IOptions<TelemetryOptions> options, MeterProvider meters, ILogger<ManagementServer> logger)
    : IHostedService, IAsyncDisposable
{
    public const string MetricsPath = "/metrics";

    private WebApplication? _server;

    /// <summary>The address it listens on, with the port it took when the setting asked for port 0; null until started.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var url = TelemetryOptionsValidator.ManagementAddress(options.Value.Metrics.ManagementUrl)
                  ?? throw new StartupException($"Telemetry:Metrics:ManagementUrl '{options.Value.Metrics.ManagementUrl}' is not a usable address.");
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(url.GetLeftPart(UriPartial.Authority));
        builder.WebHost.ConfigureKestrel(k =>
        {
            // A scraper sends a small GET: nothing bigger is needed, and nothing else should be read here.
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 0;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });
        var server = builder.Build();
        // Exactly the path: the exporter's own path match would also take anything below it.
        server.UseOpenTelemetryPrometheusScrapingEndpoint(meters, predicate: context => context.Request.Path == MetricsPath, path: null,
            configureBranchedPipeline: null, optionsName: null);

        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await server.DisposeAsync();
            throw new StartupException($"Telemetry:Metrics:ManagementUrl: cannot listen on {url.GetLeftPart(UriPartial.Authority)} ({e.Message}).", e);
        }

        _server = server;
        Address = new Uri(server.Urls.First());
        LogListening(logger, Address.GetLeftPart(UriPartial.Authority), MetricsPath);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    // Worded as ASP.NET Core lists the main address, so that whoever reads the start-up lines finds both.
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Now listening on: {Address} (management: {Path} only)")]
    private static partial void LogListening(ILogger logger, string address, string path);
}
