using System.Net;

namespace Mimi.Discovery.Resolution.Tests;

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
