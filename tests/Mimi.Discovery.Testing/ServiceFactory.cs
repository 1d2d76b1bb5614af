using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Testing;

/// <summary>
/// The service in-process on a fresh data directory: SQLite by default, PostgreSQL when given a connection string.
/// Keys, the development CA and the development operator are created on first start, exactly as for a user.
/// </summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private readonly TimeProvider? _time;

    private readonly bool _ownsDataDirectory;

    /// <param name="postgres">A PostgreSQL connection string; SQLite when null.</param>
    /// <param name="settings">Configuration overrides.</param>
    /// <param name="time">A clock to use instead of the system's.</param>
    /// <param name="dataDirectory">An existing data directory to start on (a restart); the caller owns it. A fresh one when null.</param>
    public ServiceFactory(string? postgres = null, IDictionary<string, string?>? settings = null, TimeProvider? time = null, string? dataDirectory = null)
    {
        _time = time;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "mimi-test-" + Guid.NewGuid().ToString("N")[..12]);
        _settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = DataDirectory,
            ["Storage:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["Storage:ConnectionString"] = postgres,
            ["Authority:Issuer"] = "http://localhost",
            ["Log:Origin"] = "localhost/test-log",
            // The management listener is a real port even in process: a free one, so instances never collide.
            ["Telemetry:Metrics:ManagementUrl"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    public string KeyDirectory => Path.Combine(DataDirectory, "keys");

    public string DatabasePath => Path.Combine(DataDirectory, "mimi-discovery.db");

    /// <summary>An API client without credentials (public endpoints).</summary>
    public MimiDiscoveryClient Anonymous() => new(CreateClient());

    /// <summary>The development operator, with the key the service created.</summary>
    public MimiDiscoveryClient Operator() => new(CreateClient(), ClientCredentials.Load("operator", Path.Combine(KeyDirectory, "operator.key")));

    /// <summary>A client authenticating as <paramref name="credentials"/>.</summary>
    public MimiDiscoveryClient As(ClientCredentials credentials) => new(CreateClient(), credentials);

    /// <summary>Enrols <paramref name="domain"/> with a fresh ES256 key and returns a client acting as it.</summary>
    public async Task<(MimiDiscoveryClient Client, ClientCredentials Credentials)> EnrolAsync(string domain, bool trusted = false, bool ed25519 = false)
    {
        var credentials = ed25519 ? ClientCredentials.GenerateEd25519(domain) : ClientCredentials.GenerateEs256(domain);
        await Operator().EnrolProviderAsync(domain, "ops@" + domain, [credentials.PublicJwk], trusted);
        return (As(credentials), credentials);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Settings go in as host settings: the modules read some at registration (Delivery:Domain decides whether the
        // delivery core exists), before configuration added by ConfigureAppConfiguration is visible to Program.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_time is not null)
        {
            builder.ConfigureServices(s => s.AddSingleton(_time));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataDirectory && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
