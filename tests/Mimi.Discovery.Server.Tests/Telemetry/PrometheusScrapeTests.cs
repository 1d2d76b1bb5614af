using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Authority;

namespace Mimi.Discovery.Server.Tests.Telemetry;

/// <summary>
/// The service as a process of its own, scraped by a real Prometheus on its management address: after a scripted
/// workload, Prometheus's query API returns the counts the workload made. The service is alone in its process, so
/// every count is this workload's.
/// </summary>
public sealed class PrometheusScrapeTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "mimi-test-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task After_a_scripted_workload_Prometheus_returns_its_request_and_lookup_counts()
    {
        var management = new Uri($"http://127.0.0.1:{LoopbackPorts.FreeTcpPort()}");
        using var service = await ServiceProcess.StartAsync(_data, LoopbackPorts.FreeTcpPort(), new Dictionary<string, string>
        {
            ["Telemetry:Metrics:ManagementUrl"] = management.AbsoluteUri,
            // Four identifiers new to a requester per window: the fifth is refused.
            ["Lookup:LookupsPerRequester"] = "4",
            ["Telemetry:Metrics:SampleInterval"] = "00:00:01",
        });
        await using var prometheus = await PrometheusServer.StartAsync(management);
        await prometheus.WaitForValueAsync("sum(up{job=\"mimi-discovery\"})", 1);

        // Requests by route and status.
        using var http = new HttpClient { BaseAddress = new Uri(service.Url) };
        for (var i = 0; i < 5; i++)
        {
            (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/v1/providers", UriKind.Relative))).StatusCode);
        }

        // Lookups: two mappings imported by one provider, looked up by another until its quota refuses.
        var admin = new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(service.Url) }, ClientCredentials.Load("operator", Path.Combine(_data, "keys", "operator.key")));
        using var gateKey = ClientCredentials.GenerateEs256("gate.test");
        using var askerKey = ClientCredentials.GenerateEs256("asker.test");
        await admin.EnrolProviderAsync("gate.test", "ops@gate.test", [gateKey.PublicJwk], trusted: true);
        await admin.EnrolProviderAsync("asker.test", "ops@asker.test", [askerKey.PublicJwk]);
        var gate = new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(service.Url) }, gateKey);
        var asker = new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(service.Url) }, askerKey);
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);
        var imported = await gate.ImportAsync(ImportTests.Ndjson(ImportTests.Row("tel:+15550600001", "mimi://gate.test/u/a", key) + "\n"
                                                                 + ImportTests.Row("tel:12", "mimi://gate.test/u/x", key) + "\n"
                                                                 + ImportTests.Row("tel:+15550600002", "mimi://gate.test/u/b", key)));
        Assert.Equal((2, 1), (imported.Imported, imported.Rejected));

        Assert.Equal("found", (await asker.LookupAsync(["tel:+15550600001"])).Results[0].Status);
        Assert.Equal("found", (await asker.LookupAsync(["tel:+15550600002"])).Results[0].Status);
        Assert.Equal("found", (await asker.LookupAsync(["tel:+15550600001"])).Results[0].Status); // known to it: free
        Assert.NotEqual("found", (await asker.LookupAsync(["tel:+15550600099"])).Results[0].Status);
        Assert.NotEqual("found", (await asker.LookupAsync(["tel:+15550600098"])).Results[0].Status);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(429, (await Assert.ThrowsAsync<MimiApiException>(() => asker.LookupAsync([$"tel:+1555060007{i}"]))).Status);
        }

        await prometheus.WaitForValueAsync(Requests("/healthz", "GET", 200), 5);
        await prometheus.WaitForValueAsync(Requests("/v1/providers/", "GET", 401), 3);
        await prometheus.WaitForValueAsync(Requests("/v1/lookup", "POST", 200), 5);
        await prometheus.WaitForValueAsync(Requests("/v1/lookup", "POST", 429), 2);
        await prometheus.WaitForValueAsync(Lookups("found"), 3);
        await prometheus.WaitForValueAsync(Lookups("none"), 2);
        await prometheus.WaitForValueAsync(Lookups("refused-requester-quota"), 2);
        Assert.Null(await prometheus.ValueAsync("sum(mimi_lookup_requests_total{mimi_requester=\"gate.test\"})"));
        await prometheus.WaitForValueAsync("sum(mimi_lookup_index_size)", 2);

        // Issuance and the log, from the same import.
        await prometheus.WaitForValueAsync("sum(mimi_import_rows_total{mimi_import_outcome=\"accepted\",mimi_requester=\"gate.test\"})", 2);
        await prometheus.WaitForValueAsync("sum(mimi_import_rows_total{mimi_import_outcome=\"rejected\",mimi_requester=\"gate.test\"})", 1);
        await prometheus.WaitForValueAsync("sum(mimi_authority_issuances_total{mimi_attestation=\"provider\"})", 2);
        await prometheus.WaitForValueAsync("sum(mimi_log_size)", 2);
        await prometheus.WaitForValueAsync("sum(mimi_log_checkpoint_age_seconds)", 0); // no witnesses: the head is signed on request
        Assert.Equal(0, (await prometheus.QueryAsync("mimi_log_witness_quorum")).GetArrayLength()); // none without witnesses
    }

    private static string Requests(string route, string method, int status) =>
        $"sum(http_server_request_duration_seconds_count{{http_route=\"{route}\",http_request_method=\"{method}\",http_response_status_code=\"{status}\"}})";

    private static string Lookups(string outcome) =>
        $"sum(mimi_lookup_requests_total{{mimi_lookup_mode=\"plain\",mimi_lookup_outcome=\"{outcome}\",mimi_requester=\"asker.test\"}})";
}
