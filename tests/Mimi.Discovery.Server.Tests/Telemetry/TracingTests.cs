using System.Diagnostics;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Client;
using OpenTelemetry.Trace;

namespace Mimi.Discovery.Server.Tests.Telemetry;

/// <summary>
/// What a trace of one request holds, recorded by the in-memory exporter through the module's own tracing wiring (the
/// one the OTLP exporter gets). Each request carries a <c>traceparent</c> of the test's, so the spans of services other
/// tests run alongside never count.
/// </summary>
public sealed class TracingTests
{
    [Fact]
    public async Task One_lookup_with_the_Redis_limiter_is_one_server_span_with_its_limiter_and_Redis_spans_in_the_same_trace()
    {
        var redis = await RedisServer.StartLocalAsync();
        try
        {
            var spans = new RecordedSpans();
            using var service = new ServiceFactory(settings: new Dictionary<string, string?>
            {
                ["Redis:Configuration"] = redis.EndPoint,
                ["Redis:KeyPrefix"] = "trace-" + Guid.NewGuid().ToString("N")[..8] + ":",
            });
            using var traced = Traced(service, spans);
            using var askerKey = ClientCredentials.GenerateEs256("asker.test");
            await OperatorOf(traced, service).EnrolProviderAsync("asker.test", "ops@asker.test", [askerKey.PublicJwk]);
            var http = traced.CreateClient();
            var asker = new MimiDiscoveryClient(http, askerKey);
            await asker.GetAccessTokenAsync(); // outside the trace: the lookup is the only request in it

            var trace = Follow(http);
            await asker.LookupAsync(["tel:+15550700001"]);

            Activity? server = null, limiter = null, command = null;
            await Loopback.WaitUntilAsync(() =>
            {
                var recorded = spans.Of(trace);
                server = recorded.SingleOrDefault(s => s.Kind == ActivityKind.Server);
                limiter = recorded.FirstOrDefault(s => s.Source.Name == "Mimi.Discovery.RateLimiting");
                command = recorded.FirstOrDefault(s => s.Source.Name.Contains("StackExchangeRedis", StringComparison.Ordinal) && s.ParentSpanId == limiter?.SpanId);
                return Task.FromResult(server is not null && command is not null);
            }, TimeSpan.FromSeconds(20), () => Describe(spans.Of(trace)));

            var all = spans.Of(trace);
            Assert.Single(all, s => s.Kind == ActivityKind.Server);
            Assert.Equal("POST /v1/lookup", server!.DisplayName);
            Assert.Equal("/v1/lookup", server.GetTagItem("http.route"));
            Assert.Equal(server.SpanId, limiter!.ParentSpanId);
            Assert.Equal(true, limiter.GetTagItem("mimi.ratelimit.allowed"));
            Assert.Equal(ActivityKind.Client, command!.Kind);
            Assert.Contains(all, s => s.Source.Name.Contains("StackExchangeRedis", StringComparison.Ordinal) && s.ParentSpanId == limiter.SpanId);
            // Partition keys name requesters and identifiers' owners: never a tag.
            Assert.DoesNotContain(limiter.TagObjects, t => t.Value is string v && v.Contains("asker.test", StringComparison.Ordinal));
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_request_that_writes_to_SQLite_has_a_storage_span_inside_its_server_span()
    {
        var spans = new RecordedSpans();
        using var service = new ServiceFactory();
        using var traced = Traced(service, spans);
        var http = traced.CreateClient();
        var admin = new MimiDiscoveryClient(http, ClientCredentials.Load("operator", Path.Combine(service.KeyDirectory, "operator.key")));
        await admin.GetAccessTokenAsync();
        using var key = ClientCredentials.GenerateEs256("traced.test");

        var trace = Follow(http);
        await admin.EnrolProviderAsync("traced.test", "ops@traced.test", [key.PublicJwk]);

        Activity? server = null, write = null;
        await Loopback.WaitUntilAsync(() =>
        {
            var recorded = spans.Of(trace);
            server = recorded.SingleOrDefault(s => s.Kind == ActivityKind.Server);
            write = recorded.FirstOrDefault(s => s.Source.Name == "Mimi.Discovery.Storage" && (string?)s.GetTagItem("mimi.storage.transaction") == "write");
            return Task.FromResult(server is not null && write is not null);
        }, TimeSpan.FromSeconds(20), () => Describe(spans.Of(trace)));

        Assert.Equal("POST /v1/providers/", server!.DisplayName);
        Assert.Equal("sqlite", write!.GetTagItem("db.system.name"));
        Assert.Equal("ProviderStore.CreateAsync", write.DisplayName); // the store method that wrote
        Assert.True(IsWithin(write, server, spans.Of(trace)), Describe(spans.Of(trace)));
    }

    /// <summary>The service with a tracer provider whose exporter writes to <paramref name="spans"/>, configured by the module as for OTLP.</summary>
    private static WebApplicationFactory<Program> Traced(ServiceFactory service, RecordedSpans spans) =>
        service.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddOpenTelemetry().WithTracing(t => t.AddInMemoryExporter(spans))));

    private static MimiDiscoveryClient OperatorOf(WebApplicationFactory<Program> traced, ServiceFactory service)
    {
        var http = traced.CreateClient(); // starts the service, which creates the operator's key
        return new MimiDiscoveryClient(http, ClientCredentials.Load("operator", Path.Combine(service.KeyDirectory, "operator.key")));
    }

    /// <summary>Makes every later request of <paramref name="http"/> part of a new trace, as a caller's <c>traceparent</c> does.</summary>
    private static ActivityTraceId Follow(HttpClient http)
    {
        var trace = ActivityTraceId.CreateRandom();
        http.DefaultRequestHeaders.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return trace;
    }

    private static bool IsWithin(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        for (var current = span; current is not null; current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId))
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(IReadOnlyList<Activity> trace) =>
        trace.Count == 0 ? "no span of the trace" : string.Join("; ", trace.Select(s => $"{s.Source.Name} {s.Kind} '{s.DisplayName}' {s.SpanId} <- {s.ParentSpanId}"));
}
