using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Mimi.Discovery.Server.Tests.Telemetry;

/// <summary>
/// With <c>Telemetry:Otlp:Endpoint</c> set, traces and metrics are pushed over OTLP/HTTP (protobuf) to that address; a
/// loopback listener of the test's stands in for the collector (no collector binary exists here) and reads what arrives.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_the_spans_of_a_request_and_the_metrics_arrive_there_as_protobuf()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        await using var collector = await StartCollectorAsync(received);
        using var service = new ServiceFactory(settings: new Dictionary<string, string?>
        {
            ["Telemetry:Otlp:Endpoint"] = collector.Urls.Single(),
            ["Telemetry:Otlp:Protocol"] = "HttpProtobuf",
            ["Telemetry:Otlp:MetricsInterval"] = "00:00:01",
        });
        var http = service.CreateClient();
        var trace = ActivityTraceId.CreateRandom();
        http.DefaultRequestHeaders.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var traceId = Convert.FromHexString(trace.ToHexString());

        var answer = await http.GetAsync(new Uri("/v1/providers", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, answer.StatusCode);

        await Loopback.WaitUntilAsync(() => Task.FromResult(received.Any(r => r.Path == "/v1/traces" && OtlpTraces.TraceIds(r.Body).Any(id => id.AsSpan().SequenceEqual(traceId)))),
            TimeSpan.FromSeconds(30), () => $"received: {string.Join(", ", received.Select(r => $"{r.Path} ({r.Body.Length} bytes)"))}");
        await Loopback.WaitUntilAsync(() => Task.FromResult(received.Any(r => r.Path == "/v1/metrics" && r.Body.Length > 0)),
            TimeSpan.FromSeconds(30), () => $"received: {string.Join(", ", received.Select(r => $"{r.Path} ({r.Body.Length} bytes)"))}");
        Assert.All(received.Where(r => r.Path == "/v1/traces"), r => Assert.NotEmpty(OtlpTraces.TraceIds(r.Body)));
    }

    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<(string Path, byte[] Body)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var collector = builder.Build();
        collector.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-protobuf";
        });
        await collector.StartAsync();
        return collector;
    }
}
