using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Peers;
using Mimi.Discovery.Server.Tests.Fixtures;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>
/// The durable outbox against a remote provider that misbehaves (WireMock.Net stands in for it, found through a real
/// SRV record): retries honouring Retry-After, order per destination, permanent refusals, redirects never followed; and
/// the outbox's instruments (failed attempts, depth and oldest age per destination) as it goes.
/// </summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private const string Room = "mimi://remote.test/r/club";
    private readonly WireMockServer _remote = WireMockServer.Start();
    private ProviderNetwork _network = null!;

    private ProviderInstance Alpha => _network["alpha.test"];

    public async Task InitializeAsync()
    {
        var port = _remote.Port;
        // The outbox gauges read a sample of the stored state: sampled often here, so the tests see it change.
        _network = await ProviderNetwork.StartAsync(["alpha.test"], settings: new Dictionary<string, string?> { ["Telemetry:Metrics:SampleInterval"] = "00:00:00.100" }, dnsRecords:
            [$"--srv-host=_mimi._tcp.remote.test,remote.test,{port},0,10", "--host-record=remote.test,127.0.0.1"]);
        _remote.Given(Request.Create().WithPath(ProviderResolver.DirectoryPath).UsingGet()).RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"notify": "http://remote.test:{{port}}/notify/{roomId}"}"""));
    }

    public async Task DisposeAsync()
    {
        await _network.DisposeAsync();
        _remote.Stop();
    }

    [Fact]
    public async Task A_busy_remote_is_retried_after_its_Retry_After_and_gets_the_message_once_accepted()
    {
        _remote.Given(Request.Create().WithPath("/notify/*").UsingPost()).InScenario("busy").WillSetStateTo("busy-again")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "1"));
        _remote.Given(Request.Create().WithPath("/notify/*").UsingPost()).InScenario("busy").WhenStateIs("busy-again").WillSetStateTo("ready")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        _remote.Given(Request.Create().WithPath("/notify/*").UsingPost()).InScenario("busy").WhenStateIs("ready")
            .RespondWith(Response.Create().WithStatusCode(201));
        using var recorder = new InstrumentRecorder(Alpha.Service!.Services);

        await EnqueueAsync("first");
        // While it waits out the remote's Retry-After, the message is the destination's depth.
        await Loopback.WaitUntilAsync(() => Task.FromResult(Depth(recorder) == 1), TimeSpan.FromSeconds(10), () => "the depth of remote.test never read 1");
        await Loopback.WaitUntilAsync(async () => (await SummaryAsync()).GetProperty("pending").GetInt64() == 0, TimeSpan.FromSeconds(20));

        var attempts = Notifications();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal("first", a.Body));
        // Retry-After (1 s) was longer than the configured back-off (0.2 s doubling), so it was honoured each time.
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(900), $"second attempt after {attempts[1].At - attempts[0].At}");
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromMilliseconds(900), $"third attempt after {attempts[2].At - attempts[1].At}");
        Assert.Single(attempts.Select(a => a.MessageId).Distinct());

        // Two failed attempts, then nothing waits: the destination leaves the gauges.
        Assert.Equal(2, recorder.Sum("mimi.outbox.failures", ("mimi.destination", "remote.test")));
        Assert.Equal(2, recorder.Sum("mimi.outbox.failures"));
        await Loopback.WaitUntilAsync(() => Task.FromResult(Depth(recorder) is null), TimeSpan.FromSeconds(10), () => $"remote.test still has depth {Depth(recorder)}");
        Assert.DoesNotContain(recorder.Observe("mimi.outbox.oldest_pending.age"), m => Equals(m.Tags["mimi.destination"], "remote.test"));
        TagValues.AssertBounded(recorder.Measurements, ["remote.test"]);
    }

    [Fact]
    public async Task Requests_are_signed_by_the_sending_provider_and_carry_their_message_id()
    {
        _remote.Given(Request.Create().WithPath("/notify/*").UsingPost()).RespondWith(Response.Create().WithStatusCode(201));
        await EnqueueAsync("signed");
        await Loopback.WaitUntilAsync(() => Task.FromResult(Notifications().Count == 1), TimeSpan.FromSeconds(10));

        var request = Assert.Single(_remote.LogEntries, e => e.RequestMessage.Path.StartsWith("/notify/", StringComparison.Ordinal)).RequestMessage;
        Assert.Equal("/notify/" + Room, request.AbsolutePath);
        var authorization = request.Headers!["Authorization"].Single();
        Assert.StartsWith(PeerRequestToken.Scheme + " ", authorization, StringComparison.Ordinal);
        var claims = Claims(authorization[(PeerRequestToken.Scheme.Length + 1)..]);
        Assert.Equal("alpha.test", claims.GetProperty("iss").GetString());
        Assert.Equal("remote.test", claims.GetProperty("aud").GetString());
        Assert.Equal("POST", claims.GetProperty("htm").GetString());
        Assert.Equal("/notify/" + Uri.EscapeDataString(Room), claims.GetProperty("htu").GetString());
        Assert.Equal(PeerRequestToken.BodyHash(Encoding.UTF8.GetBytes("signed")), claims.GetProperty("bh").GetString());
        Assert.False(string.IsNullOrEmpty(request.Headers[PeerRequestToken.MessageIdHeader].Single()));
    }

    [Fact]
    public async Task Messages_to_one_destination_arrive_in_order_even_when_the_first_needs_retries()
    {
        _remote.Given(Request.Create().WithPath("/notify/*").UsingPost()).InScenario("order").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(502));
        _remote.Given(Request.Create().WithPath("/notify/*").UsingPost()).InScenario("order").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(201));

        await EnqueueAsync("one", "two", "three");
        // Wait for the last message itself, not a count: a transport-level repeat of an earlier one also counts.
        await Loopback.WaitUntilAsync(() => Task.FromResult(Notifications().Any(n => n.Body == "three")), TimeSpan.FromSeconds(20),
            () => "deliveries: " + string.Join(", ", Notifications().Select(n => n.Body)));

        // At least once: a transport-level repeat is possible and harmless (same message id, the receiver dedups);
        // what matters is that nothing overtook the failed first message and every message kept its id.
        var seen = Notifications();
        Assert.Equal(["one", "two", "three"], seen.Select(n => n.Body).Distinct());
        Assert.Equal(["one", "one"], seen.Take(2).Select(n => n.Body));
        Assert.All(seen.GroupBy(n => n.Body), g => Assert.Single(g.Select(n => n.MessageId).Distinct()));
    }

    [Fact]
    public async Task A_permanent_refusal_is_kept_as_failed_and_does_not_block_the_next_message()
    {
        _remote.Given(Request.Create().WithPath("/notify/*").UsingPost().WithBody("bad")).RespondWith(Response.Create().WithStatusCode(400));
        _remote.Given(Request.Create().WithPath("/notify/*").UsingPost().WithBody("good")).RespondWith(Response.Create().WithStatusCode(201));
        using var recorder = new InstrumentRecorder(Alpha.Service!.Services);

        await EnqueueAsync("bad", "good");
        await Loopback.WaitUntilAsync(async () => (await SummaryAsync()).GetProperty("pending").GetInt64() == 0, TimeSpan.FromSeconds(10));

        var summary = await SummaryAsync();
        Assert.Equal(1, summary.GetProperty("failed").GetInt64());
        var failure = Assert.Single(summary.GetProperty("recentFailures").EnumerateArray());
        Assert.Equal("remote.test", failure.GetProperty("destination").GetString());
        Assert.Contains("400", failure.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(["bad", "good"], Notifications().Select(n => n.Body));
        Assert.Equal(1, recorder.Sum("mimi.outbox.failures", ("mimi.destination", "remote.test")));
        TagValues.AssertBounded(recorder.Measurements, ["remote.test"]);
    }

    [Fact]
    public async Task A_redirect_to_an_internal_address_is_never_followed()
    {
        _remote.Given(Request.Create().WithPath("/notify/*").UsingPost()).RespondWith(Response.Create()
            .WithStatusCode(307).WithHeader("Location", "http://169.254.169.254/latest/meta-data/"));

        await EnqueueAsync("moved");
        await Loopback.WaitUntilAsync(async () => (await SummaryAsync()).GetProperty("failed").GetInt64() == 1, TimeSpan.FromSeconds(10));

        Assert.Single(Notifications());
        var failure = Assert.Single((await SummaryAsync()).GetProperty("recentFailures").EnumerateArray());
        Assert.Contains("redirect", failure.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remote_whose_directory_names_another_host_is_not_contacted()
    {
        _remote.Reset();
        _remote.Given(Request.Create().WithPath(ProviderResolver.DirectoryPath).UsingGet()).RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody("""{"notify": "http://internal.example:8080/notify/{roomId}"}"""));
        using var recorder = new InstrumentRecorder(Alpha.Service!.Services);

        await EnqueueAsync("elsewhere");
        await Task.Delay(1500);

        Assert.Empty(Notifications());
        var summary = await SummaryAsync();
        Assert.Equal(1, summary.GetProperty("pending").GetInt64());

        // The message waits, and ages: the gauges say so for its destination, and each attempt counts as a failure.
        await Loopback.WaitUntilAsync(() => Task.FromResult(Depth(recorder) == 1), TimeSpan.FromSeconds(10), () => $"remote.test has depth {Depth(recorder)}");
        var age = Assert.Single(recorder.Observe("mimi.outbox.oldest_pending.age"));
        Assert.Equal("remote.test", age.Tags["mimi.destination"]);
        Assert.InRange(age.Value, 1.4, 60);
        Assert.True(recorder.Sum("mimi.outbox.failures", ("mimi.destination", "remote.test")) >= 1);
        TagValues.AssertBounded(recorder.Measurements, ["remote.test"]);
    }

    // The outbox depth of remote.test as the gauge reads it now; null when it reports none.
    private static double? Depth(InstrumentRecorder recorder) =>
        recorder.Observe("mimi.outbox.depth").SingleOrDefault(m => Equals(m.Tags["mimi.destination"], "remote.test"))?.Value;

    private async Task EnqueueAsync(params string[] bodies)
    {
        var outbox = Alpha.Service!.Services.GetRequiredService<Outbox>();
        await outbox.EnqueueAsync(bodies.Select(b => Outbox.Message("remote.test", MimiEndpoint.Notify, Room, Encoding.UTF8.GetBytes(b))).ToList(), default);
    }

    private List<(string Body, DateTime At, string MessageId)> Notifications() => _remote.LogEntries
        .Where(e => e.RequestMessage.Path.StartsWith("/notify/", StringComparison.Ordinal))
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => (e.RequestMessage.Body ?? "", e.RequestMessage.DateTime, e.RequestMessage.Headers![PeerRequestToken.MessageIdHeader].Single()))
        .ToList();

    private async Task<JsonElement> SummaryAsync()
    {
        using var http = Alpha.Service!.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await Alpha.Operator().GetAccessTokenAsync());
        return await http.GetFromJsonAsync<JsonElement>("/v1/delivery/outbox");
    }

    private static JsonElement Claims(string token)
    {
        var payload = token.Split('.')[1];
        return JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(payload)).RootElement.Clone();
    }
}
