using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Storage;

/// <summary>
/// The embedded store when its disk fails under it: the data directory on a tmpfs of its own, filled or remounted
/// read-only while the service runs. Writes are refused with a storage problem, readiness fails, both recover when
/// the disk does, and nothing answered before is lost.
/// </summary>
public sealed class SqliteFaultTests
{
    // Event ids of the storage outage log (Mimi.Discovery.Storage.StorageHealth).
    private const int OutageStarted = 7301;
    private const int OutageEnded = 7302;

    [Fact]
    public async Task Regression_full_disk_answered_500_and_left_readiness_green()
    {
        using var disk = new SmallDisk(megabytes: 24);
        using var service = new ServiceFactory(dataDirectory: disk.Path);
        var logs = CapturedLogs.Attach(service);
        var (gate, _) = await service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var accepted = await IssueAsync(gate, user, 0, 3);
        var http = service.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        disk.Fill();
        for (var i = 0; i < 3; i++)
        {
            var refused = await Assert.ThrowsAsync<MimiApiException>(() => IssueAsync(gate, user, 10 + i, 1));
            Assert.Equal(503, refused.Status);
            Assert.Equal("urn:mimi-discovery:problem:storage-full", refused.Problem?.Type);
        }

        var readiness = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal("unavailable: storage-full", (await readiness.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(1, logs.Count(OutageStarted));
        Assert.DoesNotContain(logs.Lines, l => l.Message.StartsWith("Unhandled error", StringComparison.Ordinal));

        disk.Free();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
        Assert.Equal(1, logs.Count(OutageEnded));
        var after = await IssueAsync(gate, user, 20, 1);
        await AssertNothingLostAsync(service, gate, accepted, after[0]);
    }

    [Fact]
    public async Task Regression_read_only_data_directory_answered_500_and_left_readiness_green()
    {
        using var disk = new SmallDisk(megabytes: 24);
        using var service = new ServiceFactory(dataDirectory: disk.Path);
        var logs = CapturedLogs.Attach(service);
        var (gate, _) = await service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var accepted = await IssueAsync(gate, user, 0, 3);
        var http = service.CreateClient();

        disk.RemountReadOnly();
        MimiApiException refused;
        HttpResponseMessage readiness;
        try
        {
            refused = await Assert.ThrowsAsync<MimiApiException>(() => IssueAsync(gate, user, 10, 1));
            readiness = await http.GetAsync("/readyz");
        }
        finally
        {
            disk.RemountWritable();
        }

        // SQLite cannot open a WAL database on a read-only file system at all (SQLITE_CANTOPEN: its shared-memory
        // index cannot be created), so this is "unavailable" rather than "read-only", which a read-only file gives.
        Assert.Equal(503, refused.Status);
        Assert.Equal("urn:mimi-discovery:problem:storage-unavailable", refused.Problem?.Type);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal("unavailable: storage-unavailable", (await readiness.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(1, logs.Count(OutageStarted));
        Assert.DoesNotContain(logs.Lines, l => l.Message.StartsWith("Unhandled error", StringComparison.Ordinal));

        // A connection a background service opened while the file system was read-only can fail one more probe (that
        // failure discards the pool), so recovery is asked of the next probes, not of the first alone.
        HttpResponseMessage? recovered = null;
        await Loopback.WaitUntilAsync(async () => (recovered = await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10),
            () => "readiness did not recover: " + recovered?.Content.ReadAsStringAsync().Result + string.Join("\n", logs.Lines));
        var after = await IssueAsync(gate, user, 20, 1);
        await AssertNothingLostAsync(service, gate, accepted, after[0]);
    }

    private static async Task<List<Credential>> IssueAsync(MimiDiscoveryClient gate, ClientCredentials user, int first, int count)
    {
        var issued = new List<Credential>();
        for (var i = first; i < first + count; i++)
        {
            issued.Add(await gate.IssueCredentialAsync($"tel:+1555030{i:D4}", $"mimi://gate.test/u/u{i}", user.SubjectPublicKeyInfo, attested: true));
        }

        return issued;
    }

    // Every issuance answered 201 is still served, the refused ones took no log index, and the log audits.
    private static async Task AssertNothingLostAsync(ServiceFactory service, MimiDiscoveryClient gate, List<Credential> accepted, Credential after)
    {
        Assert.Equal(accepted[^1].LogIndex + 1, after.LogIndex);
        foreach (var credential in accepted)
        {
            Assert.Equal(credential.LogIndex, (await gate.GetCredentialAsync(credential.Serial)).LogIndex);
        }

        var audit = await new LogAuditor(service.Anonymous()).AuditAsync(null, await service.Anonymous().GetLogVerifierKeyAsync(), []);
        Assert.True(audit.Ok, string.Join("\n", audit.Findings));
    }
}
