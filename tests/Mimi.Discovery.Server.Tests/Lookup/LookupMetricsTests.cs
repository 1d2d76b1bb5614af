using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Lookup;
using Mimi.Discovery.Server.Lookup.Private;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Lookup;

/// <summary>The lookup instruments move with real lookups through the service, tagged by mode, outcome and requesting provider only.</summary>
public sealed class LookupMetricsTests : IDisposable
{
    private readonly ServiceFactory _service = new(settings: new Dictionary<string, string?>
    {
        ["Lookup:LookupsPerRequester"] = "3",
        ["Lookup:Window"] = "01:00:00",
        ["PrivateLookup:CatchUpInterval"] = "00:00:01",
    });

    private readonly ClientCredentials _userKey = ClientCredentials.GenerateEs256("u");

    public void Dispose()
    {
        _service.Dispose();
        _userKey.Dispose();
    }

    [Fact]
    public async Task Plain_lookups_count_found_none_and_each_refusal_by_whose_quota_it_was()
    {
        using var requests = new MetricCollector<long>(_service.Services.GetRequiredService<IMeterFactory>(), LookupMetrics.MeterName, "mimi.lookup.requests");
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        await beta.IssueCredentialAsync("tel:+15550001001", "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);
        await beta.IssueCredentialAsync("tel:+15550001002", "mimi://beta.test/u/carol", _userKey.SubjectPublicKeyInfo, attested: true);
        await beta.SetQuotasAsync(new OwnerQuotas(1, null, null, null, 3600)); // one of beta's users per requester

        await alpha.LookupAsync(["tel:+15550001001"]); // found; alpha 1 of 3, beta's quota for alpha spent
        await alpha.LookupAsync(["tel:+15550009001"]); // none; alpha 2 of 3
        var owner = await Assert.ThrowsAsync<MimiApiException>(() => alpha.LookupAsync(["tel:+15550001002"]));
        var requester = await Assert.ThrowsAsync<MimiApiException>(() => alpha.LookupAsync(["tel:+15550009002", "tel:+15550009003"]));

        Assert.Equal([429, 429], [owner.Status, requester.Status]);
        var seen = requests.GetMeasurementSnapshot();
        Assert.Equal(4, seen.Count);
        Assert.All(seen, m => Assert.Equal(1, m.Value));
        Assert.All(seen, m => Assert.True(m.ContainsTags(new KeyValuePair<string, object?>("mimi.lookup.mode", "plain"),
            new KeyValuePair<string, object?>("mimi.requester", "alpha.test"))));
        Assert.Equal(["found", "none", "refused-owner-quota", "refused-requester-quota"], seen.Select(m => (string)m.Tags["mimi.lookup.outcome"]!));
    }

    [Fact]
    public async Task The_index_gauges_read_its_size_and_a_current_index_has_no_lag_to_speak_of()
    {
        using var recorder = new InstrumentRecorder(_service.Services);
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        for (var i = 0; i < 3; i++)
        {
            await beta.IssueCredentialAsync($"tel:+1555000200{i}", $"mimi://beta.test/u/u{i}", _userKey.SubjectPublicKeyInfo, attested: true);
        }

        var credential = await beta.IssueCredentialAsync("tel:+15550002009", "mimi://beta.test/u/gone", _userKey.SubjectPublicKeyInfo, attested: true);
        await beta.RemoveMappingAsync(credential.Serial);

        var index = _service.Services.GetRequiredService<MappingIndex>();
        Assert.Equal(3, index.Count);
        Assert.Equal(3, Assert.Single(recorder.Observe("mimi.lookup.index.size")).Value);
        var lag = Assert.Single(recorder.Observe("mimi.lookup.index.lag")).Value;
        Assert.InRange(lag, 0, 5); // polled every 500 ms
    }

    [Fact]
    public async Task Private_lookups_count_evaluated_elements_and_bucket_fetches_per_requester()
    {
        using var recorder = new InstrumentRecorder(_service.Services);
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        await beta.IssueCredentialAsync("tel:+15550003001", "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);
        await _service.Services.GetRequiredService<PrivateRecordRebuilder>().CatchUpNowAsync(default);
        var client = new PrivateLookupClient(_service.CreateClient(), alpha);

        var answer = await client.LookupAsync(["tel:+15550003001", "tel:+15550003999"]);

        Assert.Equal(["found", "none"], answer.Results.Select(r => r.Status));
        Assert.Equal(2, recorder.Sum("mimi.oprf.evaluations", ("mimi.requester", "alpha.test")));
        Assert.Equal(1, recorder.Sum("mimi.lookup.requests", ("mimi.lookup.mode", "private"), ("mimi.lookup.outcome", "evaluated"), ("mimi.requester", "alpha.test")));
        var fetches = recorder.Sum("mimi.oprf.bucket_fetches", ("mimi.requester", "alpha.test"));
        Assert.InRange(fetches, 1, 2); // one bucket per identifier, or one when both share it
        Assert.True(recorder.Sum("mimi.oprf.bucket_fetches", ("mimi.lookup.outcome", "found")) >= 1);
    }

    [Fact]
    public async Task No_tag_of_a_lookup_workload_carries_an_identifier_or_a_user()
    {
        using var recorder = new InstrumentRecorder(_service.Services, includeStatic: true);
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var credential = await beta.IssueCredentialAsync("tel:+15550004001", "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);
        await beta.SetQuotasAsync(new OwnerQuotas(0, null, null, null, 3600));
        await alpha.LookupAsync(["tel:+15550004999"]);
        await Assert.ThrowsAsync<MimiApiException>(() => alpha.LookupAsync(["tel:+15550004001"]));
        await beta.RevokeCredentialAsync(credential.Serial);
        await _service.Services.GetRequiredService<PrivateRecordRebuilder>().CatchUpNowAsync(default);
        await new PrivateLookupClient(_service.CreateClient(), alpha).LookupAsync(["tel:+15550004001"]);
        recorder.Observe("");

        Assert.NotEmpty(recorder.Measurements);
        TagValues.AssertBounded(recorder.Measurements, ["alpha.test", "beta.test"]);
    }
}
