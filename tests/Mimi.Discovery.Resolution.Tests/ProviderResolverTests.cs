using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mimi.Discovery.Resolution.Tests;

[Collection("dns")]
public sealed class ProviderResolverTests(DnsFixture dns)
{
    [Fact]
    public async Task Srv_records_resolve_with_addresses_from_the_additional_section()
    {
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"));

        var resolution = await resolver.ResolveAsync("beta.test");

        Assert.Equal(ResolutionStatus.Resolved, resolution.Status);
        Assert.Equal(ResolutionSource.Srv, resolution.Source);
        Assert.Equal(["mimi1.beta.test", "mimi2.beta.test"], resolution.Candidates.Select(c => c.Target).Order());
        var mimi1 = resolution.Candidates.Single(c => c.Target == "mimi1.beta.test");
        Assert.Equal((8443, 10, 60), (mimi1.Port, mimi1.Priority, mimi1.Weight));
        Assert.Equal([IPAddress.Parse("127.0.0.1")], mimi1.Addresses);
        Assert.Equal(TimeSpan.FromSeconds(60), resolution.TimeToLive);
        Assert.False(resolution.FromCache);
        Assert.Contains(resolution.Explanation, line => line.StartsWith("SRV _mimi._tcp.beta.test: 2 record(s)", StringComparison.Ordinal));
        Assert.Contains(resolution.Explanation, line => line.Contains("from the additional section", StringComparison.Ordinal));
        Assert.Contains(resolution.Explanation, line => line.StartsWith("chose mimi", StringComparison.Ordinal)
            && line.Contains("(priority 10, weight", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Domain_is_normalized_before_lookup()
    {
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"));

        var resolution = await resolver.ResolveAsync("  Beta.TEST. ");

        Assert.Equal("beta.test", resolution.Domain);
        Assert.True(resolution.Succeeded);
    }

    [Fact]
    public async Task Lowest_priority_comes_first_every_time()
    {
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"), random: new Random(7));

        for (var i = 0; i < 50; i++)
        {
            var resolution = await resolver.ResolveAsync("prio.test");
            Assert.Equal(["a.prio.test", "b.prio.test", "c.prio.test"], resolution.Candidates.Select(c => c.Target));
            Assert.Equal([10, 20, 30], resolution.Candidates.Select(c => c.Priority));
        }
    }

    [Fact]
    public async Task Weighted_selection_follows_the_weights()
    {
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"), random: new Random(20250101));
        const int Selections = 2000;

        var heavyFirst = 0;
        for (var i = 0; i < Selections; i++)
        {
            var resolution = await resolver.ResolveAsync("weights.test");
            Assert.Equal(2, resolution.Candidates.Count);
            if (resolution.Candidates[0].Target == "heavy.weights.test")
            {
                heavyFirst++;
            }
        }

        // Weights 80/20: RFC 2782's running sum gives the heavy target about 80 %.
        var share = heavyFirst / (double)Selections;
        Assert.InRange(share, 0.70, 0.90);
    }

    [Fact]
    public async Task Weight_zero_target_keeps_a_small_chance_next_to_weighted_ones()
    {
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"), random: new Random(99));

        var zeroFirst = 0;
        for (var i = 0; i < 2000; i++)
        {
            var resolution = await resolver.ResolveAsync("zero.test");
            if (resolution.Candidates[0].Target == "zero.zero.test")
            {
                zeroFirst++;
            }
        }

        // RFC 2782: 1 chance in (sum of weights + 1), here 1/101.
        Assert.InRange(zeroFirst, 1, 100);
    }

    [Fact]
    public async Task Nxdomain_falls_back_to_the_domain_on_port_443()
    {
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"));

        var resolution = await resolver.ResolveAsync("fallback.test");

        Assert.Equal(ResolutionStatus.Resolved, resolution.Status);
        Assert.Equal(ResolutionSource.Fallback, resolution.Source);
        var candidate = Assert.Single(resolution.Candidates);
        Assert.Equal(("fallback.test", 443), (candidate.Target, candidate.Port));
        Assert.Equal([IPAddress.Parse("127.0.4.1")], candidate.Addresses);
        Assert.Contains(resolution.Explanation, line => line.Contains("NXDOMAIN", StringComparison.Ordinal) && line.Contains("falling back to fallback.test:443", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nodata_falls_back_to_the_domain_on_port_443()
    {
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"));

        var resolution = await resolver.ResolveAsync("nodata.test");

        Assert.Equal(ResolutionSource.Fallback, resolution.Source);
        var candidate = Assert.Single(resolution.Candidates);
        Assert.Equal(("nodata.test", 443), (candidate.Target, candidate.Port));
        Assert.Contains(resolution.Explanation, line => line.Contains("NODATA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fallback_port_is_configurable()
    {
        var options = dns.Options("127.0.0.0/8");
        options.FallbackPort = 8443;
        using var resolver = new ProviderResolver(options);

        var resolution = await resolver.ResolveAsync("fallback.test");

        Assert.Equal(8443, Assert.Single(resolution.Candidates).Port);
    }

    [Fact]
    public async Task Unknown_domain_without_addresses_is_a_failure_value()
    {
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"));

        var resolution = await resolver.ResolveAsync("nowhere.test");

        Assert.Equal(ResolutionStatus.NoAddresses, resolution.Status);
        Assert.Equal(ResolutionSource.Fallback, resolution.Source);
        Assert.Empty(resolution.Candidates);
        Assert.NotNull(resolution.Error);
    }

    [Fact]
    public async Task Dot_target_means_the_service_is_not_available()
    {
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"));

        var resolution = await resolver.ResolveAsync("gone.test");

        Assert.Equal(ResolutionStatus.NotAvailable, resolution.Status);
        Assert.Equal(ResolutionSource.Srv, resolution.Source);
        Assert.Empty(resolution.Candidates);
        Assert.Contains(resolution.Explanation, line => line.Contains("decidedly not available", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad domain")]
    [InlineData("-bad.test")]
    [InlineData("under_score.test")]
    [InlineData("a..b")]
    public async Task Invalid_domain_is_a_failure_value(string domain)
    {
        using var resolver = new ProviderResolver(dns.Options());

        var resolution = await resolver.ResolveAsync(domain);

        Assert.Equal(ResolutionStatus.InvalidDomain, resolution.Status);
        Assert.NotNull(resolution.Error);
    }

    [Fact]
    public async Task Silent_dns_server_gives_a_timeout_within_the_configured_time()
    {
        // A bound UDP socket that never answers: queries vanish rather than being refused.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new ProviderResolverOptions { DnsTimeout = TimeSpan.FromMilliseconds(300), DnsRetries = 1 };
        options.NameServers.Add((IPEndPoint)silent.LocalEndPoint!);
        using var resolver = new ProviderResolver(options);

        var stopwatch = Stopwatch.StartNew();
        var resolution = await resolver.ResolveAsync("beta.test");
        stopwatch.Stop();

        Assert.Equal(ResolutionStatus.Timeout, resolution.Status);
        Assert.Contains("timeout", resolution.Error, StringComparison.OrdinalIgnoreCase);
        // Two tries of 300 ms; generous headroom for a loaded machine.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(250), $"took only {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Dns_port_nobody_listens_on_is_a_failure_value_not_an_exception()
    {
        var options = new ProviderResolverOptions { DnsTimeout = TimeSpan.FromMilliseconds(300), DnsRetries = 0 };
        options.NameServers.Add(new IPEndPoint(IPAddress.Loopback, LoopbackPorts.FreeUdpAndTcpPort()));
        using var resolver = new ProviderResolver(options);

        var stopwatch = Stopwatch.StartNew();
        var resolution = await resolver.ResolveAsync("beta.test");

        Assert.Contains(resolution.Status, new[] { ResolutionStatus.Timeout, ResolutionStatus.DnsFailure });
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Timeouts_are_not_cached()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new ProviderResolverOptions { DnsTimeout = TimeSpan.FromMilliseconds(200), DnsRetries = 0 };
        options.NameServers.Add((IPEndPoint)silent.LocalEndPoint!);
        using var resolver = new ProviderResolver(options);

        await resolver.ResolveAsync("beta.test");
        var second = await resolver.ResolveAsync("beta.test");

        Assert.False(second.FromCache);
        Assert.Null(second.ExpiresAt);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_honoured()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new ProviderResolverOptions { DnsTimeout = TimeSpan.FromSeconds(5), DnsRetries = 0 };
        options.NameServers.Add((IPEndPoint)silent.LocalEndPoint!);
        using var resolver = new ProviderResolver(options);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.ResolveAsync("beta.test", cts.Token));
    }

    [Fact]
    public async Task Addresses_come_from_an_A_query_when_the_target_is_not_in_the_additional_section()
    {
        // fallback.test has no SRV record, so its address can only come from its own A/AAAA query.
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"));

        var resolution = await resolver.ResolveAsync("fallback.test");

        Assert.Contains(resolution.Explanation, line => line.StartsWith("fallback.test: 127.0.4.1 (A/AAAA query", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inspect_returns_the_resolution_and_its_explanation_for_the_cli()
    {
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"));

        var report = await resolver.InspectAsync("prio.test", fetchDirectory: false);

        Assert.Null(report.Directory);
        Assert.True(report.Resolution.Succeeded);
        Assert.Equal(report.Resolution.Explanation, report.Explanation);
        Assert.Contains(report.Explanation, line => line == "chose a.prio.test:1001 (priority 10, weight 10), then b.prio.test:1002 (priority 20, weight 10), then c.prio.test:1003 (priority 30, weight 10)");
    }

    [Fact]
    public void Bad_configuration_fails_at_construction_with_the_setting_name()
    {
        var options = new ProviderResolverOptions { DirectoryScheme = "http" };

        var error = Assert.Throws<ArgumentException>(() => new ProviderResolver(options));

        Assert.Equal("DirectoryScheme", error.ParamName);
        Assert.Equal("DnsTimeout", Assert.Throws<ArgumentOutOfRangeException>(
            () => new ProviderResolver(new ProviderResolverOptions { DnsTimeout = TimeSpan.Zero })).ParamName);
    }
}
