using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Benchmarks;

/// <summary>The real service, built by its own composition root, on a fresh data directory.</summary>
internal sealed class ServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _data;

    private ServiceHost(WebApplication app, string data)
    {
        _app = app;
        _data = data;
    }

    public IServiceProvider Services => _app.Services;

    public string KeyDirectory => Path.Combine(_data, "keys");

    public static async Task<ServiceHost> StartAsync(string? postgres, IDictionary<string, string?>? extra = null)
    {
        var data = Directory.CreateTempSubdirectory("mimi-bench-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            // A port chosen at bind time cannot name the issuer; benchmarks that call over HTTP pass their own.
            ["Authority:Issuer"] = "http://localhost",
            ["Storage:DataDirectory"] = data,
            ["Storage:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["Storage:ConnectionString"] = postgres,
            // Metrics and tracing are measured as a pair of their own (lookups); the other figures run without them.
            ["Telemetry:Metrics:Exposure"] = "Off",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (Environment.GetEnvironmentVariable("MIMI_BENCH_SERVICE_LOG") == "1")
        {
            // The services' own warnings, for a figure that fails.
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }
        builder.AddMimiDiscovery();
        var app = builder.Build();
        app.UseMimiDiscovery();
        await app.StartAsync();
        return new ServiceHost(app, data);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
