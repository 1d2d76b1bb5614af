using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Mimi.Discovery.Client;
using Mimi.Discovery.Sandbox;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Cli.Demo;

/// <summary>
/// What <c>mimi demo</c> runs on this machine: a discovery service and two providers (alpha.demo, beta.demo), each
/// a full service instance on the embedded default (SQLite, in-process limits) on its own loopback port, and a real
/// DNS server (dnsmasq) answering their <c>_mimi._tcp</c> SRV records. Everything lives in one scratch directory.
/// </summary>
internal sealed class DemoNetwork : IAsyncDisposable
{
    private readonly Dictionary<string, WebApplication> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Url, IReadOnlyDictionary<string, string?> Settings)> _instances = new(StringComparer.Ordinal);
    private DnsmasqServer? _dns;

    private DemoNetwork(string directory) => Directory = directory;

    public string Directory { get; }

    public string DiscoveryUrl => _instances["discovery"].Url;

    /// <summary>The demo's DNS server (dnsmasq) on 127.0.0.1.</summary>
    public int DnsPort => _dns?.Port ?? throw new InvalidOperationException("The demo's DNS server has not started.");

    /// <summary>Development one-time codes the discovery service "sent" (its development gateway writes them to its log).</summary>
    public ConcurrentQueue<string> SentCodes { get; } = new();

    public int Port(string name) => new Uri(_instances[name].Url).Port;

    public static async Task<DemoNetwork> StartAsync(string directory, IReadOnlyList<string> domains, CancellationToken ct)
    {
        var network = new DemoNetwork(directory);
        var discoveryPort = LoopbackPorts.FreeTcpPort();
        var ports = domains.ToDictionary(d => d, _ => LoopbackPorts.FreeTcpPort(), StringComparer.Ordinal);
        network._dns = await DnsmasqServer.StartAsync(DnsmasqServer.LocalProviders(ports), ttl: 30, zone: "demo");
        var dnsPort = network.DnsPort;

        var discoveryUrl = $"http://127.0.0.1:{discoveryPort}";
        network._instances["discovery"] = (discoveryUrl, new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = Path.Combine(directory, "discovery"),
            ["Authority:Issuer"] = discoveryUrl,
            ["Log:Origin"] = "demo/mimi-discovery/log",
        });
        await network.StartAsync("discovery", ct);
        var operatorKey = Path.Combine(directory, "discovery", "keys", "operator.key");
        using var operatorCredentials = ClientCredentials.Load("operator", operatorKey);
        var admin = new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(discoveryUrl) }, operatorCredentials);

        foreach (var domain in domains)
        {
            var keyFile = Path.Combine(directory, domain + ".key");
            using (var key = ClientCredentials.GenerateEs256(domain))
            {
                key.Save(keyFile);
                await admin.EnrolProviderAsync(domain, "ops@" + domain, [key.PublicJwk], ct: ct);
            }

            var url = $"http://127.0.0.1:{ports[domain]}";
            network._instances[domain] = (url, new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = Path.Combine(directory, domain),
                ["Authority:Issuer"] = url,
                ["Log:Origin"] = domain + "/log",
                ["Delivery:Domain"] = domain,
                ["Delivery:PublicUrl"] = $"http://{domain}:{ports[domain]}",
                ["Delivery:DirectoryUrl"] = discoveryUrl,
                ["Delivery:ProviderKeyFile"] = keyFile,
                ["Delivery:Outbox:PollInterval"] = "00:00:00.200",
                ["Delivery:Outbox:InitialBackoff"] = "00:00:00.500",
                ["Delivery:Outbox:MaxBackoff"] = "00:00:02",
                ["Resolution:NameServers:0"] = $"127.0.0.1:{dnsPort}",
                ["Resolution:AllowedAddressRanges:0"] = "127.0.0.0/8",
                ["Resolution:AllowHttp"] = "true",
            });
            await network.StartAsync(domain, ct);
        }

        return network;
    }

    /// <summary>An API client of <paramref name="instance"/> authenticating as <paramref name="credentials"/>.</summary>
    public MimiDiscoveryClient Client(string instance, ClientCredentials? credentials) =>
        new(new HttpClient { BaseAddress = new Uri(_instances[instance].Url) }, credentials);

    /// <summary>The credentials of an instance's development operator.</summary>
    public ClientCredentials Operator(string instance) =>
        ClientCredentials.Load("operator", Path.Combine((string)_instances[instance].Settings["Storage:DataDirectory"]!, "keys", "operator.key"));

    /// <summary>A provider's own key, enrolled at the discovery service.</summary>
    public ClientCredentials ProviderKey(string domain) => ClientCredentials.Load(domain, Path.Combine(Directory, domain + ".key"));

    public HttpClient Http(string instance) => new() { BaseAddress = new Uri(_instances[instance].Url) };

    public async Task StartAsync(string name, CancellationToken ct)
    {
        var (url, settings) = _instances[name];
        // Several instances share this process: none serves metrics (they would all want the one management port).
        var app = MimiDiscoveryHost.Build(url, new Dictionary<string, string?>(settings) { ["Telemetry:Metrics:Exposure"] = "Off" }, logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddFilter("Mimi.Discovery.Server.Authority.ProofOfControl", LogLevel.Information);
            logging.AddProvider(new CodeCapture(SentCodes));
        });
        await app.StartAsync(ct);
        _running[name] = app;
    }

    public async Task StopAsync(string name)
    {
        if (_running.Remove(name, out var app))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _running.Keys.ToList())
        {
            await StopAsync(name);
        }

        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }
    }

    /// <summary>Keeps the development one-time codes the discovery service logs, so the demo can play Bob reading his SMS.</summary>
    private sealed class CodeCapture(ConcurrentQueue<string> codes) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "Code").Value is string code)
            {
                codes.Enqueue(code);
            }
        }

        public void Dispose()
        {
        }
    }
}
