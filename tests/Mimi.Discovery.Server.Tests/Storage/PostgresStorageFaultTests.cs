using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Storage.Postgres;
using Npgsql;

namespace Mimi.Discovery.Server.Tests.Storage;

/// <summary>
/// PostgreSQL failing under the service: an outage is logged once when it starts and once when it ends, whatever the
/// traffic meanwhile; a server that refuses writes is a problem of its own and fails readiness until it takes them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageFaultTests(PostgresServer server)
{
    // Event ids of the storage outage log (Mimi.Discovery.Storage.StorageHealth).
    private const int OutageStarted = 7301;
    private const int OutageEnded = 7302;

    [Fact]
    public async Task Regression_postgres_outage_logged_every_503_with_a_stack_trace()
    {
        using var service = new ServiceFactory(await server.CreateDatabaseAsync());
        var logs = CapturedLogs.Attach(service);
        var (gate, _) = await service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var issued = await gate.IssueCredentialAsync("tel:+15550400000", "mimi://gate.test/u/before", user.SubjectPublicKeyInfo, attested: true);

        const int requests = 30;
        var answers = new List<(int Status, string? Type)>();
        var before = logs.Lines.Count;
        await server.StopAsync();
        IReadOnlyList<CapturedLogs.LogLine> duringOutage;
        try
        {
            for (var i = 0; i < requests; i++)
            {
                var refused = await Assert.ThrowsAsync<MimiApiException>(() => i % 2 == 0
                    ? gate.GetCredentialAsync(issued.Serial)
                    : gate.IssueCredentialAsync($"tel:+1555041{i:D4}", $"mimi://gate.test/u/down{i}", user.SubjectPublicKeyInfo, attested: true));
                answers.Add((refused.Status, refused.Problem?.Type));
            }

            // Long enough for every background worker (index polls, directory refresh, purge, outbox) to fail a few times.
            await Task.Delay(TimeSpan.FromSeconds(3));
            duringOutage = logs.Lines.Skip(before).ToList();
        }
        finally
        {
            await server.StartAsync();
        }

        Assert.All(answers, a => Assert.Equal((503, "urn:mimi-discovery:problem:storage-unavailable"), a));
        var loud = duringOutage.Where(l => l.Level >= LogLevel.Warning).ToList();
        Assert.True(loud.Count == 1 && loud[0].EventId == OutageStarted, "Expected one outage line, got:\n" + string.Join("\n", loud));

        await Loopback.EventuallyAsync(() => gate.IssueCredentialAsync("tel:+15550409999", "mimi://gate.test/u/back", user.SubjectPublicKeyInfo, attested: true));
        await Loopback.WaitUntilAsync(() => Task.FromResult(logs.Count(OutageEnded) > 0), TimeSpan.FromSeconds(10));
        Assert.Equal(1, logs.Count(OutageStarted));
        Assert.Equal(1, logs.Count(OutageEnded));
    }

    [Fact]
    public async Task A_postgres_refusing_writes_answers_storage_read_only_and_fails_readiness_until_it_takes_them()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        using var service = new ServiceFactory(connectionString);
        using var recorder = new InstrumentRecorder(service.Services, includeStatic: true);
        var (gate, _) = await service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var issued = await gate.IssueCredentialAsync("tel:+15550420000", "mimi://gate.test/u/before", user.SubjectPublicKeyInfo, attested: true);
        var http = service.CreateClient();

        // What a replica sees after a fail-over to a standby, or with the database switched to read-only: every new
        // session refuses writes (SQLSTATE 25006).
        var pool = ((PostgresDialect)service.Services.GetRequiredService<MimiDatabase>().Dialect).DataSource;
        await SetReadOnlyAsync(database, pool, true);
        MimiApiException refused;
        HttpResponseMessage readiness;
        try
        {
            refused = await Assert.ThrowsAsync<MimiApiException>(() =>
                gate.IssueCredentialAsync("tel:+15550420001", "mimi://gate.test/u/refused", user.SubjectPublicKeyInfo, attested: true));
            readiness = await http.GetAsync("/readyz");
            Assert.Equal(issued.LogIndex, (await gate.GetCredentialAsync(issued.Serial)).LogIndex); // reads still work
        }
        finally
        {
            await SetReadOnlyAsync(database, pool, false);
        }

        Assert.Equal(503, refused.Status);
        Assert.Equal("urn:mimi-discovery:problem:storage-read-only", refused.Problem?.Type);
        // Storage's meter is the process's: at least this service's refused write counted as read-only.
        Assert.True(recorder.Sum("mimi.storage.errors", ("mimi.storage.error_kind", "read-only")) >= 1);
        TagValues.AssertBounded(recorder.Measurements, ["gate.test"]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal("unavailable: storage-read-only", (await readiness.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
        var after = await gate.IssueCredentialAsync("tel:+15550420002", "mimi://gate.test/u/after", user.SubjectPublicKeyInfo, attested: true);
        Assert.Equal(issued.LogIndex + 1, after.LogIndex);
    }

    private async Task SetReadOnlyAsync(string database, NpgsqlDataSource pool, bool readOnly)
    {
        await using (var connection = new NpgsqlConnection(server.AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"ALTER DATABASE {database} SET default_transaction_read_only = {(readOnly ? "on" : "off")}", connection);
            await command.ExecuteNonQueryAsync();
        }

        // The setting applies to new sessions: drop the service's pooled ones.
        pool.Clear();
    }
}
