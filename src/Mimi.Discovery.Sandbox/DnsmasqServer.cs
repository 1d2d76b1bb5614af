using System.Diagnostics;
using System.Net;
using DnsClient;

namespace Mimi.Discovery.Sandbox;

/// <summary>
/// A real dnsmasq on a free loopback port (UDP and TCP), answering only from the records it was started with and
/// authoritative for one local zone (names under it that it has no record for do not exist).
/// </summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    /// <summary>Where Debian's dnsmasq-base installs it.</summary>
    public const string Binary = "/usr/sbin/dnsmasq";

    private readonly List<string> _stderr = [];
    private readonly string _zone;
    private Process? _process;

    private DnsmasqServer(int port, IReadOnlyList<string> records, int ttl, string zone)
    {
        Port = port;
        Records = records;
        Ttl = ttl;
        _zone = zone;
    }

    /// <summary>The port it listens on (UDP and TCP).</summary>
    public int Port { get; }

    /// <summary>127.0.0.1 and <see cref="Port"/>, for a resolver's name servers.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The dnsmasq options it answers from.</summary>
    public IReadOnlyList<string> Records { get; private set; }

    /// <summary>The TTL of its answers, in seconds.</summary>
    public int Ttl { get; private set; }

    /// <summary>
    /// Starts dnsmasq with <paramref name="records"/> (dnsmasq options such as <c>--srv-host=…</c>), answering with
    /// <paramref name="ttl"/> seconds and authoritative for the top-level <paramref name="zone"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">dnsmasq is not installed or does not start.</exception>
    public static async Task<DnsmasqServer> StartAsync(IEnumerable<string> records, int ttl = 60, string zone = "test")
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
            var server = new DnsmasqServer(LoopbackPorts.FreeUdpAndTcpPort(), list, ttl, zone);
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

    /// <summary>
    /// The records of MIMI providers all on this machine: for each domain, <c>_mimi._tcp.&lt;domain&gt;</c> SRV pointing at
    /// the domain itself on its port, and the domain's address 127.0.0.1.
    /// </summary>
    public static IEnumerable<string> LocalProviders(IReadOnlyDictionary<string, int> ports) =>
        ports.SelectMany(p => new[] { $"--srv-host=_mimi._tcp.{p.Key},{p.Key},{p.Value},0,10", $"--host-record={p.Key},127.0.0.1" });

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
            $"--local=/{_zone}/", $"--local-ttl={Ttl}", "--cache-size=0",
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
                await probe.QueryAsync($"probe.{_zone}", QueryType.A);
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
