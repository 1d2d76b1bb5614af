using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsClient;

namespace Mimi.Discovery.Resolution.Tests;

/// <summary>A real dnsmasq on a loopback port, answering only from the records it was started with.</summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/dnsmasq";

    private readonly List<string> _stderr = [];
    private Process? _process;

    private DnsmasqServer(int port, IReadOnlyList<string> records, int ttl)
    {
        Port = port;
        Records = records;
        Ttl = ttl;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public IReadOnlyList<string> Records { get; private set; }

    public int Ttl { get; private set; }

    /// <summary>Starts dnsmasq with <paramref name="records"/> (dnsmasq options such as <c>--srv-host=…</c>).</summary>
    public static async Task<DnsmasqServer> StartAsync(IEnumerable<string> records, int ttl = 60)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                $"{Binary} is missing: these tests need a real DNS server. Run ./test.sh, which installs dnsmasq-base (apt-get install dnsmasq-base).");
        }

        var list = records.ToList();
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var server = new DnsmasqServer(Ports.FreeUdpAndTcpPort(), list, ttl);
            try
            {
                await server.LaunchAsync();
                return server;
            }
            catch (InvalidOperationException ex)
            {
                last = ex;
                await server.DisposeAsync();
            }
        }

        throw new InvalidOperationException("dnsmasq did not start on a free loopback port", last);
    }

    /// <summary>Stops dnsmasq and starts it again on the same port with other records.</summary>
    public async Task RestartAsync(IEnumerable<string> records, int? ttl = null)
    {
        await StopAsync();
        Records = records.ToList();
        Ttl = ttl ?? Ttl;
        await LaunchAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task LaunchAsync()
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll", "--pid-file=",
            $"--port={Port}", "--listen-address=127.0.0.1", "--bind-interfaces", "--log-facility=-",
            "--local=/test/", $"--local-ttl={Ttl}", "--cache-size=0",
        }.Concat(Records))
        {
            info.ArgumentList.Add(argument);
        }

        _stderr.Clear();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dnsmasq");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        var probe = new LookupClient(new LookupClientOptions(EndPoint)
        {
            UseCache = false,
            Timeout = TimeSpan.FromMilliseconds(200),
            Retries = 0,
            ThrowDnsErrors = false,
        });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                string log;
                lock (_stderr)
                {
                    log = string.Join(Environment.NewLine, _stderr);
                }

                throw new InvalidOperationException($"dnsmasq exited with {process.ExitCode}: {log}");
            }

            try
            {
                await probe.QueryAsync("probe.test", QueryType.A);
                return;
            }
            catch (DnsResponseException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException("dnsmasq did not answer within 10 s");
    }

    private async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }
}

/// <summary>The dnsmasq shared by the "dns" collection, with the fixed zone the tests read.</summary>
public sealed class DnsFixture : IAsyncLifetime
{
    public static readonly string[] Zone =
    [
        // beta.test: two targets in one priority, both listed in the additional section.
        "--srv-host=_mimi._tcp.beta.test,mimi1.beta.test,8443,10,60",
        "--srv-host=_mimi._tcp.beta.test,mimi2.beta.test,8443,10,40",
        "--host-record=mimi1.beta.test,127.0.0.1",
        "--host-record=mimi2.beta.test,127.0.0.2",
        // prio.test: priorities listed out of order.
        "--srv-host=_mimi._tcp.prio.test,c.prio.test,1003,30,10",
        "--srv-host=_mimi._tcp.prio.test,a.prio.test,1001,10,10",
        "--srv-host=_mimi._tcp.prio.test,b.prio.test,1002,20,10",
        "--host-record=a.prio.test,127.0.1.1",
        "--host-record=b.prio.test,127.0.1.2",
        "--host-record=c.prio.test,127.0.1.3",
        // weights.test: 80/20 within one priority.
        "--srv-host=_mimi._tcp.weights.test,heavy.weights.test,443,5,80",
        "--srv-host=_mimi._tcp.weights.test,light.weights.test,443,5,20",
        "--host-record=heavy.weights.test,127.0.2.1",
        "--host-record=light.weights.test,127.0.2.2",
        // zero.test: a weight-0 record next to a weight-100 one.
        "--srv-host=_mimi._tcp.zero.test,zero.zero.test,443,1,0",
        "--srv-host=_mimi._tcp.zero.test,full.zero.test,443,1,100",
        "--host-record=zero.zero.test,127.0.3.1",
        "--host-record=full.zero.test,127.0.3.2",
        // fallback.test: no SRV name at all (NXDOMAIN) but an address.
        "--host-record=fallback.test,127.0.4.1",
        // nodata.test: the SRV name exists (TXT) but has no SRV record (NODATA).
        "--txt-record=_mimi._tcp.nodata.test,nothing here",
        "--host-record=nodata.test,127.0.5.1",
        // gone.test: SRV target "." — decidedly not available.
        "--srv-host=_mimi._tcp.gone.test,.",
        // SSRF: targets in private, metadata, loopback and unique-local ranges.
        "--srv-host=_mimi._tcp.private.test,mimi.private.test,443,1,1",
        "--host-record=mimi.private.test,10.0.0.1",
        "--srv-host=_mimi._tcp.metadata.test,mimi.metadata.test,443,1,1",
        "--host-record=mimi.metadata.test,169.254.169.254",
        "--srv-host=_mimi._tcp.loop.test,mimi.loop.test,443,1,1",
        "--host-record=mimi.loop.test,127.0.0.1",
        "--srv-host=_mimi._tcp.ula.test,mimi.ula.test,443,1,1",
        "--host-record=mimi.ula.test,fd12:3456::1",
        "--srv-host=_mimi._tcp.mixed.test,mimi.mixed.test,443,1,1",
        "--host-record=mimi.mixed.test,10.0.0.2",
        "--host-record=mimi.mixed.test,127.0.0.1",
        "--host-record=rebind.test,10.0.0.3",
        // Public-looking addresses for a target whose addresses come from a separate query.
        "--srv-host=_mimi._tcp.public.test,www.public.test,443,1,1",
        "--host-record=www.public.test,192.0.2.10",
    ];

    public DnsmasqServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await DnsmasqServer.StartAsync(Zone);

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    /// <summary>Options pointing at this fixture's dnsmasq, with short timeouts.</summary>
    public ProviderResolverOptions Options(params string[] allowedRanges) => Options(Server, allowedRanges);

    public static ProviderResolverOptions Options(DnsmasqServer server, params string[] allowedRanges)
    {
        var options = new ProviderResolverOptions
        {
            DnsTimeout = TimeSpan.FromSeconds(1),
            DnsRetries = 1,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            DirectoryTimeout = TimeSpan.FromSeconds(5),
        };
        options.NameServers.Add(server.EndPoint);
        foreach (var range in allowedRanges)
        {
            options.AllowedAddressRanges.Add(IPNetwork.Parse(range));
        }

        return options;
    }
}

[CollectionDefinition("dns")]
public sealed class DnsCollection : ICollectionFixture<DnsFixture>;

internal static class Ports
{
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A loopback port free for both UDP and TCP (DNS needs both).</summary>
    public static int FreeUdpAndTcpPort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new TcpListener(IPAddress.Loopback, port);
                tcp.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP: try another.
            }
        }

        throw new InvalidOperationException("no free loopback port for UDP and TCP");
    }
}
