using Mimi.Discovery.Client;
using Mimi.Discovery.Resolution.Tests;

namespace Mimi.Discovery.Server.Tests.Fixtures;

/// <summary>
/// Several providers as they meet in production, on one machine: a discovery service (the authority and directory),
/// one service instance per provider domain hosting its users (Delivery:Domain), each listening on its own loopback
/// port, and a real DNS server (dnsmasq) answering <c>_mimi._tcp.&lt;domain&gt;</c> SRV and A records for them.
/// Each provider is enrolled at the discovery service with its own key, which also signs its requests to peers.
/// Instances run on SQLite by default, or each in its own PostgreSQL database.
/// </summary>
public sealed class ProviderNetwork : IAsyncDisposable
{
    private readonly Dictionary<string, ProviderInstance> _providers = new(StringComparer.Ordinal);

    private ProviderNetwork(ServiceFactory discovery, int discoveryPort, DnsmasqServer dns)
    {
        Discovery = discovery;
        DiscoveryPort = discoveryPort;
        Dns = dns;
    }

    /// <summary>The discovery service: authority, issuance log, lookups.</summary>
    public ServiceFactory Discovery { get; }

    public int DiscoveryPort { get; }

    public string DiscoveryUrl => $"http://127.0.0.1:{DiscoveryPort}";

    public DnsmasqServer Dns { get; }

    public ProviderInstance this[string domain] => _providers[domain];

    public IEnumerable<ProviderInstance> Providers => _providers.Values;

    /// <summary>
    /// Starts the network. <paramref name="databases"/>, when given, makes a PostgreSQL connection string for each
    /// instance by name ("discovery" or the provider domain); SQLite otherwise. <paramref name="settings"/> apply to
    /// every instance (Redis, for example), <paramref name="discoverySettings"/> to the discovery service only;
    /// <paramref name="dnsRecords"/> are more dnsmasq options (a stand-in remote provider's SRV record, say).
    /// </summary>
    public static async Task<ProviderNetwork> StartAsync(IReadOnlyList<string> domains, Func<string, Task<string>>? databases = null,
        IDictionary<string, string?>? settings = null, IDictionary<string, string?>? discoverySettings = null, IEnumerable<string>? dnsRecords = null)
    {
        // A port found free can be taken by a parallel test before Kestrel binds it: start again on other ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(domains, databases, settings, discoverySettings, dnsRecords?.ToList());
            }
            catch (IOException e) when (attempt < 4 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    private static async Task<ProviderNetwork> StartOnceAsync(IReadOnlyList<string> domains, Func<string, Task<string>>? databases,
        IDictionary<string, string?>? settings, IDictionary<string, string?>? discoverySettings, IEnumerable<string>? dnsRecords)
    {
        var discoveryPort = Loopback.FreePort();
        var own = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        foreach (var (key, value) in discoverySettings ?? new Dictionary<string, string?>())
        {
            own[key] = value;
        }

        own["Authority:Issuer"] = $"http://127.0.0.1:{discoveryPort}";
        var discovery = new ServiceFactory(databases is null ? null : await databases("discovery"), own);
        discovery.UseKestrel(discoveryPort);
        try
        {
            discovery.StartServer();
        }
        catch
        {
            discovery.Dispose();
            throw;
        }

        var ports = domains.ToDictionary(d => d, _ => Loopback.FreePort(), StringComparer.Ordinal);
        var records = ports.SelectMany(p => new[] { $"--srv-host=_mimi._tcp.{p.Key},{p.Key},{p.Value},0,10", $"--host-record={p.Key},127.0.0.1" });
        var dns = await DnsmasqServer.StartAsync(records.Concat(dnsRecords ?? []), ttl: 5);
        var network = new ProviderNetwork(discovery, discoveryPort, dns);
        try
        {
            foreach (var domain in domains)
            {
                var credentials = ClientCredentials.GenerateEs256(domain);
                await discovery.Operator().EnrolProviderAsync(domain, "ops@" + domain, [credentials.PublicJwk]);
                var instance = new ProviderInstance(network, domain, ports[domain], credentials,
                    databases is null ? null : await databases(domain), settings);
                network._providers[domain] = instance;
                instance.Start();
            }
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }

        return network;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers.Values)
        {
            provider.Dispose();
        }

        Discovery.Dispose();
        await Dns.DisposeAsync();
    }
}

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
