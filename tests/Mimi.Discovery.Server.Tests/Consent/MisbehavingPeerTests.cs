using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Mimi.Discovery.Client;
using Mimi.Discovery.Protocol;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using static Mimi.Discovery.Server.Tests.Consent.PeerRequests;

namespace Mimi.Discovery.Server.Tests.Consent;

/// <summary>
/// alpha.test sends consent requests to providers that misbehave (WireMock.Net behind real SRV records): slow, failing,
/// garbling, redirecting to an internal address. The outbox retries what may succeed, gives up on what never will, and
/// alpha stays responsive. Also the consent rate limits, which need their own settings.
/// </summary>
public sealed class MisbehavingPeerTests : IAsyncLifetime
{
    private const string RequestPath = "/mimi/v1/requestConsent/*";
    private readonly Dictionary<string, WireMockServer> _peers = new(StringComparer.Ordinal);
    private ProviderNetwork _network = null!;
    private WireMockServer _internal = null!;

    private ProviderInstance Alpha => _network["alpha.test"];

    public async Task InitializeAsync()
    {
        _network = await ProviderNetwork.StartAsync(["alpha.test", "beta.test"], settings: new Dictionary<string, string?>
        {
            ["Delivery:PeerRequestTimeout"] = "00:00:01",
            ["Consent:RequestsPerUser"] = "3",
            ["Consent:RequestsPerProvider"] = "3",
        });
        _internal = WireMockServer.Start();
        _internal.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(201));
        var records = new List<string>(_network.Dns.Records);
        foreach (var domain in new[] { "slow.test", "failing.test", "garbling.test", "redirecting.test" })
        {
            var server = WireMockServer.Start(new WireMockServerSettings { StartAdminInterface = false });
            var port = server.Ports[0];
            server.Given(Request.Create().WithPath("/.well-known/mimi-protocol-directory").UsingGet())
                .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                    .WithBody($$"""{"requestConsent":"http://{{domain}}:{{port}}/mimi/v1/requestConsent/{targetUser}"}"""));
            records.Add($"--srv-host=_mimi._tcp.{domain},{domain},{port},0,10");
            records.Add($"--host-record={domain},127.0.0.1");
            _peers[domain] = server;
        }

        await _network.Dns.RestartAsync(records);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _peers.Values)
        {
            server.Dispose();
        }

        _internal.Dispose();
        await _network.DisposeAsync();
    }

    private IRequestBuilder Consent() => Request.Create().WithPath(new WildcardMatcher(RequestPath)).UsingPost();

    private int Attempts(string domain) => _peers[domain].LogEntries.Count(e => e.RequestMessage.Path.StartsWith("/mimi/v1/requestConsent/", StringComparison.Ordinal));

    private static int Accepted(WireMockServer server) => server.LogEntries.Count(e => e.ResponseMessage.StatusCode is 201);

    private async Task<JsonDocument> OutboxAsync()
    {
        using var http = Alpha.Service!.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await Alpha.Operator().GetAccessTokenAsync());
        return JsonDocument.Parse(await http.GetStringAsync("/v1/delivery/outbox"));
    }

    [Fact]
    public async Task A_slow_peer_times_out_and_is_retried_while_the_service_stays_responsive()
    {
        var slow = _peers["slow.test"];
        slow.Given(Consent()).InScenario("slow").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(201).WithDelay(TimeSpan.FromSeconds(4)));
        slow.Given(Consent()).InScenario("slow").WhenStateIs("recovered").RespondWith(Response.Create().WithStatusCode(201));

        var (amy, _) = await Alpha.AddUserAsync("amy", "amy-phone");
        await amy.RequestConsentAsync("mimi://slow.test/u/sam");
        Assert.True(await EventuallyAsync(() => Task.FromResult(Attempts("slow.test") >= 1)));

        // The first attempt hangs at the peer; alpha answers its own clients meanwhile.
        using var http = new HttpClient { BaseAddress = new Uri(Alpha.Url) };
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Single(await amy.ListConsentRequestsAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"alpha took {clock.Elapsed} to answer while a peer hung");

        Assert.True(await EventuallyAsync(() => Task.FromResult(Attempts("slow.test") >= 2 && Accepted(slow) >= 1)), "never retried after the timeout");
        Assert.True(await EventuallyAsync(async () => { using var o = await OutboxAsync(); return o.RootElement.GetProperty("pending").GetInt64() == 0; }));
    }

    [Fact]
    public async Task A_failing_peer_is_retried_after_its_retry_after_until_it_accepts()
    {
        var failing = _peers["failing.test"];
        failing.Given(Consent()).InScenario("failing").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "2"));
        failing.Given(Consent()).InScenario("failing").WhenStateIs("up").RespondWith(Response.Create().WithStatusCode(201));

        var (ben, _) = await Alpha.AddUserAsync("ben", "ben-phone");
        await ben.RequestConsentAsync("mimi://failing.test/u/fred");
        Assert.True(await EventuallyAsync(() => Task.FromResult(Accepted(failing) == 1)), "never delivered after the 503");
        var attempts = failing.LogEntries.Where(e => e.RequestMessage.Path.StartsWith("/mimi/v1/requestConsent/", StringComparison.Ordinal)).ToArray();
        var times = attempts.Select(e => e.RequestMessage.DateTime).Order().ToArray();
        Assert.Equal(2, times.Length);
        // The fixture's own back-off is 0.2 s; the peer asked for 2 s.
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(1.8), $"retried after {times[1] - times[0]}, before Retry-After");

        // Each attempt carried the same message id, so the peer can process it once.
        var ids = attempts.Select(e => e.RequestMessage.Headers![PeerRequestToken.MessageIdHeader].ToString()).Distinct();
        Assert.Single(ids);
    }

    [Fact]
    public async Task Garbage_and_broken_off_answers_are_transient_failures_and_delivery_continues()
    {
        // Regression: a body broken off before its Content-Length threw HttpIOException out of PeerClient, which
        // stopped the outbox loop.
        using var raw = new RawHttpPeer(
            "this is not HTTP at all\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nbroken off",
            "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        var garbling = _peers["garbling.test"];
        garbling.ResetMappings();
        garbling.Given(Request.Create().WithPath("/.well-known/mimi-protocol-directory").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"requestConsent":"http://garbling.test:{{raw.Port}}/mimi/v1/requestConsent/{targetUser}"}"""));

        var (cal, _) = await Alpha.AddUserAsync("cal", "cal-phone");
        await cal.RequestConsentAsync("mimi://garbling.test/u/gil");
        Assert.True(await EventuallyAsync(() => Task.FromResult(raw.Answered == 3)), $"answered {raw.Answered} of 3");
        Assert.True(await EventuallyAsync(async () => { using var o = await OutboxAsync(); return o.RootElement.GetProperty("pending").GetInt64() == 0; }));
        using (var outbox = await OutboxAsync())
        {
            Assert.Equal(0, outbox.RootElement.GetProperty("failed").GetInt64());
        }

        // The outbox is still running: the next request goes through as well.
        await cal.RequestConsentAsync("mimi://garbling.test/u/gwen");
        Assert.True(await EventuallyAsync(() => Task.FromResult(raw.Answered == 4)));
    }

    /// <summary>A TCP listener answering each connection with the next canned bytes (the last one repeats).</summary>
    private sealed class RawHttpPeer : IDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly string[] _answers;
        private readonly CancellationTokenSource _stop = new();
        private int _answered;

        public RawHttpPeer(params string[] answers)
        {
            _answers = answers;
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Answered => Volatile.Read(ref _answered);

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var stream = client.GetStream();
                    var buffer = new byte[64 * 1024];
                    var read = 0;
                    // Read the request head and its body (Content-Length) before answering.
                    while (true)
                    {
                        read += await stream.ReadAsync(buffer.AsMemory(read), _stop.Token);
                        var text = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
                        var head = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                        if (head >= 0)
                        {
                            var length = System.Text.RegularExpressions.Regex.Match(text, "Content-Length: (\\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
                            if (!length.Success || read >= head + 4 + int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                            {
                                break;
                            }
                        }
                    }

                    var answer = _answers[Math.Min(_answered, _answers.Length - 1)];
                    await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(answer), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    Interlocked.Increment(ref _answered);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException)
                {
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task A_redirect_to_an_internal_address_is_never_followed_and_the_message_is_given_up()
    {
        _peers["redirecting.test"].Given(Consent())
            .RespondWith(Response.Create().WithStatusCode(307).WithHeader("Location", $"{_internal.Url}/admin/steal"));

        var (dan, _) = await Alpha.AddUserAsync("dan", "dan-phone");
        await dan.RequestConsentAsync("mimi://redirecting.test/u/rex");
        Assert.True(await EventuallyAsync(async () =>
        {
            using var outbox = await OutboxAsync();
            return outbox.RootElement.GetProperty("recentFailures").EnumerateArray()
                .Any(f => f.GetProperty("destination").GetString() == "redirecting.test" && f.GetProperty("lastError").GetString()!.Contains("redirect", StringComparison.Ordinal));
        }), "the redirect was not recorded as a failure");
        Assert.Equal(1, Attempts("redirecting.test"));
        Assert.Empty(_internal.LogEntries);
        // The requester still sees its request as pending: it never learns why.
        Assert.Equal("pending", Assert.Single(await dan.ListConsentRequestsAsync()).State);
    }

    [Fact]
    public async Task Consent_requests_are_rate_limited_per_user_at_the_client_api_and_per_provider_at_requestConsent()
    {
        var (eli, _) = await Alpha.AddUserAsync("eli", "eli-phone");
        for (var i = 0; i < 3; i++)
        {
            await eli.RequestConsentAsync($"mimi://beta.test/u/target{i}");
        }

        var over = await Assert.ThrowsAsync<MimiApiException>(() => eli.RequestConsentAsync("mimi://beta.test/u/target9"));
        Assert.Equal(429, over.Status);
        Assert.Equal("urn:mimi-discovery:problem:rate-limited", over.Problem?.Type);
        // Another user of the same provider has a quota of its own.
        var (fio, _) = await Alpha.AddUserAsync("fio", "fio-phone");
        Assert.Equal("pending", (await fio.RequestConsentAsync("mimi://beta.test/u/target0")).State);

        var beta = _network["beta.test"];
        var target = "mimi://alpha.test/u/eli";
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await PostAsync(beta, Alpha, "requestConsent", target,
                ConsentEntry.For(ConsentOperation.Request, new ConsentScope($"mimi://beta.test/u/r{i}", target, null)).Encode());
            if (i < 3)
            {
                Assert.Equal(HttpStatusCode.Created, last.StatusCode);
                Assert.StartsWith("\"consent-requests\";q=3;", last.Headers.GetValues("RateLimit-Policy").Single(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.True(last.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
    }
}
