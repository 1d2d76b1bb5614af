using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Storage;

/// <summary>Faults and scale-out on the real PostgreSQL: outages degrade to 503 and recover; replicas agree.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresFaultTests(PostgresServer server)
{
    [Fact]
    public async Task A_database_outage_answers_503_then_recovers_and_loses_no_accepted_write()
    {
        using var service = new ServiceFactory(await server.CreateDatabaseAsync());
        using var recorder = new InstrumentRecorder(service.Services, includeStatic: true);
        var (gate, _) = await service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var accepted = new List<Credential>();
        for (var i = 0; i < 5; i++)
        {
            accepted.Add(await gate.IssueCredentialAsync($"tel:+1555010{i:D4}", $"mimi://gate.test/u/u{i}", user.SubjectPublicKeyInfo, attested: true));
        }

        await server.StopAsync();
        MimiApiException? outage;
        try
        {
            outage = await Assert.ThrowsAsync<MimiApiException>(() =>
                gate.IssueCredentialAsync("tel:+15550109999", "mimi://gate.test/u/down", user.SubjectPublicKeyInfo, attested: true));
        }
        finally
        {
            await server.StartAsync();
        }

        Assert.Equal(503, outage.Status);
        Assert.Equal("urn:mimi-discovery:problem:storage-unavailable", outage.Problem?.Type);
        // Storage's meter is the process's: at least this service's failed write counted as transient.
        Assert.True(recorder.Sum("mimi.storage.errors", ("mimi.storage.error_kind", "transient")) >= 1);
        TagValues.AssertBounded(recorder.Measurements, ["gate.test"]);
        var after = await Loopback.EventuallyAsync(() => gate.IssueCredentialAsync("tel:+15550109998", "mimi://gate.test/u/back", user.SubjectPublicKeyInfo, attested: true));
        Assert.Equal(accepted[^1].LogIndex + 1, after.LogIndex);
        foreach (var credential in accepted)
        {
            Assert.Equal(credential.LogIndex, (await gate.GetCredentialAsync(credential.Serial)).LogIndex);
        }

        var audit = await new LogAuditor(service.Anonymous()).AuditAsync(null, await service.Anonymous().GetLogVerifierKeyAsync(), []);
        Assert.True(audit.Ok, string.Join("\n", audit.Findings));
    }

    [Fact]
    public async Task Two_replicas_share_one_log_and_one_directory()
    {
        var database = await server.CreateDatabaseAsync();
        using var first = new ServiceFactory(database);
        first.CreateClient();
        var shared = new Dictionary<string, string?> { ["Authority:KeyDirectory"] = first.KeyDirectory };
        using var second = new ServiceFactory(database, shared);
        second.CreateClient();

        var (_, credentials) = await first.EnrolAsync("gate.test", trusted: true);
        var onFirst = first.As(credentials);
        var onSecond = second.As(credentials);
        await Loopback.EventuallyAsync(() => onSecond.GetAccessTokenAsync()); // the second replica learns of the enrolment by polling
        using var user = ClientCredentials.GenerateEs256("u");

        var issued = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? onFirst : onSecond)
            .IssueCredentialAsync($"tel:+1555020{i:D4}", $"mimi://gate.test/u/u{i}", user.SubjectPublicKeyInfo, attested: true)));

        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), issued.Select(c => c.LogIndex).Order());
        var audit = await new LogAuditor(second.Anonymous()).AuditAsync(null, await first.Anonymous().GetLogVerifierKeyAsync(), []);
        Assert.True(audit.Ok, string.Join("\n", audit.Findings));
        Assert.Equal(40, audit.State!.Size);

        await first.Operator().SuspendProviderAsync("gate.test");
        var refused = await Loopback.EventuallyAsync(async () =>
        {
            var e = await Assert.ThrowsAsync<MimiApiException>(() => onSecond.GetCredentialAsync(issued[0].Serial));
            return e.Status;
        });
        Assert.Equal(401, refused);
    }
}
