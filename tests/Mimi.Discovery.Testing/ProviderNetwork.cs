using Mimi.Discovery.Client;

namespace Mimi.Discovery.Testing;

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
        var discoveryPort = LoopbackPorts.FreeTcpPort();
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

        var ports = domains.ToDictionary(d => d, _ => LoopbackPorts.FreeTcpPort(), StringComparer.Ordinal);
        var dns = await DnsmasqServer.StartAsync(DnsmasqServer.LocalProviders(ports).Concat(dnsRecords ?? []), ttl: 5);
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
