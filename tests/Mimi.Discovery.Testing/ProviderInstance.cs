using Mimi.Discovery.Client;

namespace Mimi.Discovery.Testing;

/// <summary>One provider's service instance in a <see cref="ProviderNetwork"/>; it can be stopped and started again on the same data.</summary>
public sealed class ProviderInstance : IDisposable
{
    private readonly ProviderNetwork _network;
    private readonly string? _postgres;
    private readonly Dictionary<string, string?> _settings;

    internal ProviderInstance(ProviderNetwork network, string domain, int port, ClientCredentials credentials, string? postgres,
        IDictionary<string, string?>? extra)
    {
        _network = network;
        Domain = domain;
        Port = port;
        Credentials = credentials;
        _postgres = postgres;
        DataDirectory = Directory.CreateTempSubdirectory("mimi-provider-").FullName;
        KeyFile = Path.Combine(DataDirectory, "provider.key");
        credentials.Save(KeyFile);
        _settings = new Dictionary<string, string?>
        {
            ["Authority:Issuer"] = $"http://127.0.0.1:{port}",
            ["Delivery:Domain"] = domain,
            ["Delivery:PublicUrl"] = $"http://{domain}:{port}",
            ["Delivery:DirectoryUrl"] = network.DiscoveryUrl,
            ["Delivery:ProviderKeyFile"] = KeyFile,
            ["Delivery:Outbox:PollInterval"] = "00:00:00.100",
            ["Delivery:Outbox:InitialBackoff"] = "00:00:00.200",
            ["Delivery:Outbox:MaxBackoff"] = "00:00:02",
            ["Resolution:NameServers:0"] = network.Dns.EndPoint.ToString(),
            ["Resolution:AllowedAddressRanges:0"] = "127.0.0.0/8",
            ["Resolution:AllowHttp"] = "true",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        // Instances sharing one Redis keep their counters apart.
        _settings.TryAdd("Redis:KeyPrefix", domain + ":");
    }

    public string Domain { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The provider's enrolled key (client id = domain).</summary>
    public ClientCredentials Credentials { get; }

    public string DataDirectory { get; }

    public string KeyFile { get; }

    /// <summary>The running instance; null while stopped.</summary>
    public ServiceFactory? Service { get; private set; }

    /// <summary>This provider acting at the discovery service (lookups, issuance, settings).</summary>
    public MimiDiscoveryClient AtDiscovery() => _network.Discovery.As(Credentials);

    /// <summary>This instance's own operator (its development key): user and client administration.</summary>
    public MimiDiscoveryClient Operator() => Running.Operator();

    /// <summary>A client of this instance authenticating as <paramref name="credentials"/> (a hosted client's key).</summary>
    public MimiDiscoveryClient As(ClientCredentials credentials) => Running.As(credentials);

    /// <summary>Creates a hosted user and one client for it; returns the client's API client and key.</summary>
    public async Task<(MimiDiscoveryClient Client, ClientCredentials Credentials)> AddUserAsync(string user, string client, string consentMode = "consent-required")
    {
        var admin = Operator();
        try
        {
            await admin.CreateHostedUserAsync(user, consentMode);
        }
        catch (MimiApiException e) when (e.Status == 409)
        {
            // The user exists already: add another client.
        }

        var credentials = ClientCredentials.GenerateEs256($"mimi://{Domain}/d/{client}");
        await admin.AddHostedClientAsync(user, client, credentials.PublicJwk);
        return (As(credentials), credentials);
    }

    public void Start()
    {
        if (Service is not null)
        {
            return;
        }

        var service = new ServiceFactory(_postgres, _settings, dataDirectory: DataDirectory);
        service.UseKestrel(Port);
        try
        {
            service.StartServer();
        }
        catch
        {
            service.Dispose();
            throw;
        }

        Service = service;
    }

    /// <summary>Stops the instance (its port stops answering); <see cref="Start"/> brings it back on the same data.</summary>
    public void Stop()
    {
        Service?.Dispose();
        Service = null;
    }

    public void Dispose()
    {
        Stop();
        Credentials.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private ServiceFactory Running => Service ?? throw new InvalidOperationException($"{Domain} is stopped.");
}
