using System.Net;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Mimi.Discovery.Resolution.Tests;

[Collection("dns")]
public sealed class SsrfTests(DnsFixture dns)
{
    [Theory]
    [InlineData("private.test", "10.0.0.1", "private")]
    [InlineData("metadata.test", "169.254.169.254", "cloud metadata")]
    [InlineData("loop.test", "127.0.0.1", "loopback")]
    [InlineData("ula.test", "fd12:3456::1", "unique-local")]
    public async Task Targets_in_special_ranges_are_refused_by_default(string domain, string address, string reason)
    {
        using var resolver = new ProviderResolver(dns.Options());

        var resolution = await resolver.ResolveAsync(domain);

        Assert.Equal(ResolutionStatus.AddressRefused, resolution.Status);
        Assert.Empty(resolution.Candidates);
        var unusable = Assert.Single(resolution.Unusable);
        var refused = Assert.Single(unusable.Refused);
        Assert.Equal(IPAddress.Parse(address), refused.Address);
        Assert.Contains(reason, refused.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, resolution.Error, StringComparison.Ordinal);
        Assert.Contains(resolution.Explanation, line => line.Contains("allow it with AllowedAddressRanges", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("private.test", "10.0.0.0/8", "10.0.0.1")]
    [InlineData("metadata.test", "169.254.169.254/32", "169.254.169.254")]
    [InlineData("loop.test", "127.0.0.0/8", "127.0.0.1")]
    [InlineData("ula.test", "fc00::/7", "fd12:3456::1")]
    public async Task Targets_in_special_ranges_are_allowed_when_configured(string domain, string range, string address)
    {
        using var resolver = new ProviderResolver(dns.Options(range));

        var resolution = await resolver.ResolveAsync(domain);

        Assert.Equal(ResolutionStatus.Resolved, resolution.Status);
        Assert.Equal([IPAddress.Parse(address)], Assert.Single(resolution.Candidates).Addresses);
    }

    [Fact]
    public async Task Only_the_permitted_addresses_of_a_target_are_kept()
    {
        using var resolver = new ProviderResolver(dns.Options("127.0.0.0/8"));

        var resolution = await resolver.ResolveAsync("mixed.test");

        var candidate = Assert.Single(resolution.Candidates);
        Assert.Equal([IPAddress.Parse("127.0.0.1")], candidate.Addresses);
        Assert.Contains(resolution.Explanation, line => line.Contains("refused 10.0.0.2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connect_callback_refuses_a_loopback_address_the_guard_does_not_allow()
    {
        using var server = StartServer(out var port);
        using var client = new HttpClient(GuardedHttp.CreateHandler(AddressGuard.Strict, NoDns, TimeSpan.FromSeconds(2)));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://127.0.0.1:{port}/ping")));

        Assert.True(GuardedHttp.IsForbiddenAddress(error), error.ToString());
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task Connect_callback_connects_to_an_allowed_address()
    {
        using var server = StartServer(out var port);
        using var client = new HttpClient(GuardedHttp.CreateHandler(new AddressGuard([IPNetwork.Parse("127.0.0.0/8")]), NoDns, TimeSpan.FromSeconds(2)));

        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/ping"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Connect_callback_refuses_a_pinned_address_that_is_not_vetted()
    {
        // The host name resolves to an allowed address, but the request is pinned to a private one,
        // as if DNS had changed between the check and the connection: the callback still refuses.
        using var server = StartServer(out var port);
        var guard = new AddressGuard([IPNetwork.Parse("127.0.0.0/8")]);
        using var client = new HttpClient(GuardedHttp.CreateHandler(guard, (_, _) => ValueTask.FromResult<IReadOnlyList<IPAddress>>([IPAddress.Loopback]), TimeSpan.FromSeconds(2)));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://provider.test:{port}/ping"));
        GuardedHttp.PinAddresses(request, [IPAddress.Parse("10.0.0.1")]);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.True(GuardedHttp.IsForbiddenAddress(error), error.ToString());
        Assert.Contains("10.0.0.1", error.InnerException?.Message ?? error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolver_http_client_resolves_names_through_its_dns_and_vets_the_answer()
    {
        using var server = StartServer(out var port);
        using var strict = new ProviderResolver(dns.Options("127.0.0.0/8"));
        using var strictClient = strict.CreateHttpClient();

        // rebind.test resolves to 10.0.0.3: refused at connect time.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => strictClient.GetAsync(new Uri($"http://rebind.test:{port}/ping")));
        Assert.True(GuardedHttp.IsForbiddenAddress(error), error.ToString());

        // mimi.loop.test resolves to 127.0.0.1, which this configuration allows.
        using var response = await strictClient.GetAsync(new Uri($"http://mimi.loop.test:{port}/ping"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Guarded_client_does_not_follow_redirects()
    {
        using var server = StartServer(out var port);
        server.Given(Request.Create().WithPath("/hop").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", "http://169.254.169.254/latest/meta-data/"));
        using var client = new HttpClient(GuardedHttp.CreateHandler(new AddressGuard([IPNetwork.Parse("127.0.0.0/8")]), NoDns, TimeSpan.FromSeconds(2)));

        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/hop"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static ValueTask<IReadOnlyList<IPAddress>> NoDns(string host, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"no DNS lookup expected for {host}");

    private static WireMockServer StartServer(out int port)
    {
        port = LoopbackPorts.FreeTcpPort();
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"] });
        server.Given(Request.Create().WithPath("/ping").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("pong"));
        return server;
    }
}
