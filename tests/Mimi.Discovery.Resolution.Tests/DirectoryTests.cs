using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Mimi.Discovery.Resolution.Tests;

/// <summary>
/// Directory fetches over plain http on loopback (AllowHttp, 127.0.0.0/8 allowed), with a dnsmasq per
/// test whose SRV records point at the ports the test's servers listen on.
/// </summary>
[Collection("dns")]
public sealed class DirectoryTests : IAsyncLifetime
{
    private readonly List<IDisposable> _servers = [];
    private DnsmasqServer? _dns;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }
    }

    [Fact]
    public async Task Valid_document_is_parsed_and_unknown_endpoints_are_ignored()
    {
        var (server, port) = StartServer();
        Serve(server, Document("mimi1.dir.test", port, extra: """, "futureThing": "https://elsewhere.example/x", "version": 6"""));
        using var resolver = await ResolverAsync([Srv("mimi1", port, 10)]);

        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(DirectoryStatus.Ok, result.Status);
        Assert.Equal(10, result.Directory.Endpoints.Count);
        Assert.Equal($"http://mimi1.dir.test:{port}/v1/keyMaterial/{{targetUser}}", result.Directory.Endpoints[MimiEndpoint.KeyMaterial]);
        Assert.Equal(["futureThing", "version"], result.Directory.IgnoredMembers);
        Assert.Equal(new Uri($"http://mimi1.dir.test:{port}/.well-known/mimi-protocol-directory"), result.Directory.Source);
        Assert.Equal(
            new Uri($"http://mimi1.dir.test:{port}/v1/requestConsent/mimi%3A%2F%2Fbeta.test%2Fu%2Fbob"),
            result.Directory.Expand(MimiEndpoint.RequestConsent, "mimi://beta.test/u/bob"));
        Assert.Contains(result.Explanation, line => line.Contains("ignored unknown member(s): futureThing, version", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Urls_on_the_provider_domain_itself_are_accepted()
    {
        var (server, port) = StartServer();
        Serve(server, $$"""{ "requestConsent": "http://dir.test:{{port}}/requestConsent/{targetUser}" }""");
        using var resolver = await ResolverAsync([Srv("mimi1", port, 10)]);

        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.True(result.Succeeded, result.Error);
    }

    [Fact]
    public async Task Document_is_cached_for_its_max_age()
    {
        var (server, port) = StartServer();
        Serve(server, Document("mimi1.dir.test", port), maxAge: 120);
        var time = new FakeTimeProvider();
        using var resolver = await ResolverAsync([Srv("mimi1", port, 10)], time);

        var first = await resolver.GetDirectoryAsync("dir.test");
        Assert.Equal(TimeSpan.FromSeconds(120), first.TimeToLive);
        time.Advance(TimeSpan.FromSeconds(30));
        var second = await resolver.GetDirectoryAsync("dir.test");
        Assert.True(second.FromCache);
        Assert.Single(server.LogEntries);

        time.Advance(TimeSpan.FromSeconds(100));
        var third = await resolver.GetDirectoryAsync("dir.test");
        Assert.False(third.FromCache);
        Assert.Equal(2, server.LogEntries.Count());
    }

    [Fact]
    public async Task Document_without_max_age_is_cached_for_the_configured_ttl_and_no_store_is_not_cached()
    {
        var (server, port) = StartServer();
        Serve(server, Document("mimi1.dir.test", port));
        using var resolver = await ResolverAsync([Srv("mimi1", port, 10)], configure: o => o.DefaultDirectoryTtl = TimeSpan.FromSeconds(42));

        Assert.Equal(TimeSpan.FromSeconds(42), (await resolver.GetDirectoryAsync("dir.test")).TimeToLive);

        var (noStore, noStorePort) = StartServer();
        noStore.Given(Request.Create().WithPath(ProviderResolver.DirectoryPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Cache-Control", "no-store").WithBody(Document("mimi1.nostore.test", noStorePort)));
        await _dns!.RestartAsync([.. _dns.Records, "--srv-host=_mimi._tcp.nostore.test,mimi1.nostore.test," + noStorePort + ",1,1", "--host-record=mimi1.nostore.test,127.0.0.1"]);
        var once = await resolver.GetDirectoryAsync("nostore.test");
        var twice = await resolver.GetDirectoryAsync("nostore.test");
        Assert.True(once.Succeeded, once.Error);
        Assert.False(twice.FromCache);
        Assert.Equal(2, noStore.LogEntries.Count());
    }

    [Fact]
    public async Task Fails_over_when_the_first_target_refuses_connections()
    {
        var closedPort = LoopbackPorts.FreeTcpPort();
        var (server, port) = StartServer();
        Serve(server, Document("mimi2.dir.test", port));
        using var resolver = await ResolverAsync([Srv("mimi1", closedPort, 10), Srv("mimi2", port, 20)]);

        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("mimi2.dir.test", new Uri(result.Directory.Endpoints[MimiEndpoint.Notify].Replace("{roomId}", "r", StringComparison.Ordinal)).Host);
        Assert.Contains(result.Explanation, line => line.StartsWith($"try mimi1.dir.test:{closedPort}: Unreachable", StringComparison.Ordinal));
        Assert.Contains(result.Explanation, line => line.StartsWith($"try mimi2.dir.test:{port}: Answered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fails_over_when_the_first_target_times_out()
    {
        // Accepts connections and never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;
        var (server, port) = StartServer();
        Serve(server, Document("mimi2.dir.test", port));
        using var resolver = await ResolverAsync(
            [Srv("mimi1", silentPort, 10), Srv("mimi2", port, 20)],
            configure: o => o.DirectoryTimeout = TimeSpan.FromSeconds(1));

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains(result.Explanation, line => line.StartsWith($"try mimi1.dir.test:{silentPort}: TimedOut", StringComparison.Ordinal));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Fails_over_on_a_server_error()
    {
        var (broken, brokenPort) = StartServer();
        broken.Given(Request.Create().WithPath(ProviderResolver.DirectoryPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(503));
        var (server, port) = StartServer();
        Serve(server, Document("mimi2.dir.test", port));
        using var resolver = await ResolverAsync([Srv("mimi1", brokenPort, 10), Srv("mimi2", port, 20)]);

        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains(result.Explanation, line => line.Contains("AnsweredTryNext", StringComparison.Ordinal) && line.Contains("503", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_target_answering_is_a_failure_value()
    {
        using var resolver = await ResolverAsync([Srv("mimi1", LoopbackPorts.FreeTcpPort(), 10), Srv("mimi2", LoopbackPorts.FreeTcpPort(), 20)]);

        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.Equal(DirectoryStatus.Unreachable, result.Status);
        Assert.Null(result.Directory);
        Assert.Contains("no target of dir.test answered", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_on_another_host_is_rejected()
    {
        var (server, port) = StartServer();
        Serve(server, $$"""{ "keyMaterial": "http://evil.test:{{port}}/v1/keyMaterial/{targetUser}" }""");
        using var resolver = await ResolverAsync([Srv("mimi1", port, 10)]);

        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.Equal(DirectoryStatus.InvalidDocument, result.Status);
        Assert.Contains("host 'evil.test'", result.Error, StringComparison.Ordinal);
        Assert.Contains("keyMaterial", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_json_is_rejected()
    {
        var (server, port) = StartServer();
        Serve(server, "{ this is not json");
        using var resolver = await ResolverAsync([Srv("mimi1", port, 10)]);

        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.Equal(DirectoryStatus.InvalidJson, result.Status);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public async Task Oversized_body_is_rejected()
    {
        var (server, port) = StartServer();
        var padding = new string(' ', 5000);
        Serve(server, Document("mimi1.dir.test", port) + padding);
        using var resolver = await ResolverAsync([Srv("mimi1", port, 10)], configure: o => o.MaxDirectoryBytes = 1024);

        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.Equal(DirectoryStatus.TooLarge, result.Status);
        Assert.Contains("1024-byte limit", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirect_to_an_internal_address_is_not_followed()
    {
        var (server, port) = StartServer();
        server.Given(Request.Create().WithPath(ProviderResolver.DirectoryPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", "http://169.254.169.254/latest/meta-data/"));
        using var resolver = await ResolverAsync([Srv("mimi1", port, 10)]);

        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.Equal(DirectoryStatus.Redirected, result.Status);
        Assert.Contains("169.254.169.254", result.Error, StringComparison.Ordinal);
        Assert.Contains("not followed", result.Error, StringComparison.Ordinal);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task Client_error_is_a_failure_value_without_fail_over()
    {
        var (first, firstPort) = StartServer();
        first.Given(Request.Create().WithPath(ProviderResolver.DirectoryPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        var (second, secondPort) = StartServer();
        Serve(second, Document("mimi2.dir.test", secondPort));
        using var resolver = await ResolverAsync([Srv("mimi1", firstPort, 10), Srv("mimi2", secondPort, 20)]);

        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.Equal(DirectoryStatus.HttpError, result.Status);
        Assert.Contains("404", result.Error, StringComparison.Ordinal);
        Assert.Empty(second.LogEntries);
    }

    [Fact]
    public async Task Refused_targets_give_a_resolution_failure_not_a_request()
    {
        await using var dns = await DnsmasqServer.StartAsync(["--srv-host=_mimi._tcp.dir.test,mimi1.dir.test,443,1,1", "--host-record=mimi1.dir.test,10.0.0.1"]);
        var options = DnsFixture.Options(dns, "127.0.0.0/8");
        options.AllowHttp = true;
        options.DirectoryScheme = "http";
        using var resolver = new ProviderResolver(options);

        var result = await resolver.GetDirectoryAsync("dir.test");

        Assert.Equal(DirectoryStatus.ResolutionFailed, result.Status);
        Assert.Equal(ResolutionStatus.AddressRefused, result.Resolution.Status);
        Assert.Contains("10.0.0.1", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_returns_resolution_directory_and_one_explanation()
    {
        var (server, port) = StartServer();
        Serve(server, Document("mimi1.dir.test", port));
        using var resolver = await ResolverAsync([Srv("mimi1", port, 10)]);

        var report = await resolver.InspectAsync("dir.test");

        Assert.NotNull(report.Directory);
        Assert.True(report.Directory.Succeeded);
        Assert.Same(report.Directory.Resolution, report.Resolution);
        Assert.Contains(report.Explanation, line => line.StartsWith("SRV _mimi._tcp.dir.test: 1 record(s)", StringComparison.Ordinal));
        Assert.Contains(report.Explanation, line => line.StartsWith($"directory http://mimi1.dir.test:{port}/.well-known/mimi-protocol-directory: 10 endpoint(s)", StringComparison.Ordinal));
    }

    private static string Srv(string name, int port, int priority) =>
        $"--srv-host=_mimi._tcp.dir.test,{name}.dir.test,{port},{priority},10";

    private async Task<ProviderResolver> ResolverAsync(string[] srv, TimeProvider? time = null, Action<ProviderResolverOptions>? configure = null)
    {
        _dns = await DnsmasqServer.StartAsync(
        [
            .. srv,
            "--host-record=mimi1.dir.test,127.0.0.1",
            "--host-record=mimi2.dir.test,127.0.0.1",
        ]);
        var options = DnsFixture.Options(_dns, "127.0.0.0/8");
        options.AllowHttp = true;
        options.DirectoryScheme = "http";
        configure?.Invoke(options);
        return new ProviderResolver(options, time);
    }

    private (WireMockServer Server, int Port) StartServer()
    {
        var port = LoopbackPorts.FreeTcpPort();
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"] });
        _servers.Add(server);
        return (server, port);
    }

    private static void Serve(WireMockServer server, string body, int? maxAge = null)
    {
        var response = Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);
        if (maxAge is { } seconds)
        {
            response = response.WithHeader("Cache-Control", $"max-age={seconds}");
        }

        server.Given(Request.Create().WithPath(ProviderResolver.DirectoryPath).UsingGet()).RespondWith(response);
    }

    /// <summary>The draft-ietf-mimi-protocol-06 example document, on <paramref name="host"/>.</summary>
    private static string Document(string host, int port, string extra = "")
    {
        var b = $"http://{host}:{port}/v1";
        return $$"""
            {
              "keyMaterial": "{{b}}/keyMaterial/{targetUser}",
              "update": "{{b}}/update/{roomId}",
              "notify": "{{b}}/notify/{roomId}",
              "submitMessage": "{{b}}/submitMessage/{roomId}",
              "groupInfo": "{{b}}/groupInfo/{roomId}",
              "requestConsent": "{{b}}/requestConsent/{targetUser}",
              "updateConsent": "{{b}}/updateConsent/{requesterUser}",
              "identifierQuery": "{{b}}/identifierQuery/{domain}",
              "reportAbuse": "{{b}}/reportAbuse/{roomId}",
              "proxyDownload": "{{b}}/proxyDownload/{downloadUrl}"{{extra}}
            }
            """;
    }
}
