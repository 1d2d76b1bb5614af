using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Transparency;
using Npgsql;

namespace Mimi.Discovery.Server.Tests.Log;

/// <summary>
/// The service checks what it serves against its own tree and audits its stored log in the background: an entry,
/// tile or head altered in storage is refused and makes readiness fail, however it was altered.
/// </summary>
public sealed class LogIntegrityTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Message)> _logs = new();

    private readonly ServiceFactory _service = new(settings: new Dictionary<string, string?> { ["Log:SelfAudit:Interval"] = "00:00:01" });

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Regression_entry_altered_in_storage_is_refused_with_a_log_integrity_problem_not_served()
    {
        await IssueAsync(_service, _service.KeyDirectory, 5);
        await Sql(_service, "UPDATE log_entries SET data = CAST('{\"type\":\"issuance\",\"forged\":true}' AS BLOB) WHERE idx = 2");
        var http = _service.CreateClient();

        var covering = await http.GetAsync("/log/entries?start=0&count=5");

        Assert.Equal(HttpStatusCode.InternalServerError, covering.StatusCode);
        Assert.Equal("application/problem+json", covering.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await covering.Content.ReadAsStringAsync());
        Assert.Equal("urn:mimi-discovery:problem:log-integrity", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(2, problem.RootElement.GetProperty("index").GetInt64());
        Assert.DoesNotContain("forged", problem.RootElement.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, (await http.GetAsync("/log/entries?start=2&count=1")).StatusCode);
        // Entries that match their tree are still served; the replica stops taking traffic all the same.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/log/entries?start=3&count=2")).StatusCode);
        Assert.True(await IntegrityFailedAsync(http));
    }

    [Fact]
    public async Task Regression_self_audit_makes_readiness_fail_within_its_interval_and_logs_the_index_once()
    {
        using var service = Capturing(_service);
        await IssueAsync(service, _service.KeyDirectory, 5);
        var http = service.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        await Sql(_service, "UPDATE log_entries SET data = CAST('{\"type\":\"issuance\",\"forged\":true}' AS BLOB) WHERE idx = 3");

        // Nobody reads the entry: only the self-audit can notice.
        await Loopback.WaitUntilAsync(() => IntegrityFailedAsync(http), Soon,
            () => "/readyz stayed ready");
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // more passes find the same entry again
        var critical = Assert.Single(_logs, l => l.Level == LogLevel.Critical);
        Assert.Equal(7401, critical.EventId);
        Assert.Contains("entry 3", critical.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("forged", critical.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Self_audit_finds_an_altered_upper_tile_and_an_altered_root_and_readiness_returns_once_repaired()
    {
        using var service = Capturing(_service);
        var gate = await EnrolAsync(service, _service.KeyDirectory, "gate.test");
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);
        // 300 entries: one full level-0 tile, so a level-1 tile exists.
        var rows = Enumerable.Range(0, 300).Select(i => Authority.ImportTests.Row($"tel:+1555077{i:D4}", $"mimi://gate.test/u/t{i}", key));
        Assert.Equal(300, (await gate.ImportAsync(Authority.ImportTests.Ndjson(string.Join("\n", rows)))).Imported);
        var http = service.CreateClient();
        await Loopback.WaitUntilAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, Soon);

        await Sql(_service, "UPDATE log_tiles SET hashes = zeroblob(32) WHERE level = 1 AND idx = 0");
        await Loopback.WaitUntilAsync(() => IntegrityFailedAsync(http), Soon,
            () => "/readyz stayed ready with tile/1/000 altered");
        await Loopback.WaitUntilAsync(() => Task.FromResult(_logs.Any(l => l is { Level: LogLevel.Critical, EventId: 7403 } && l.Message.Contains("tile/1/000", StringComparison.Ordinal))),
            Soon, Critical);

        // Put the level-1 hash back (the fold of the full level-0 tile), then break the head's root instead.
        var level0 = await http.GetByteArrayAsync("/log/tile/0/000");
        var leaves = Enumerable.Range(0, 256).Select(i => level0.AsSpan(i * 32, 32).ToArray()).ToList();
        await Sql(_service, $"UPDATE log_tiles SET hashes = X'{Convert.ToHexString(MerkleHash.ComputeRoot(leaves))}' WHERE level = 1 AND idx = 0");
        await Loopback.WaitUntilAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, Soon,
            () => "/readyz did not recover once the tile was repaired");
        await Sql(_service, "UPDATE log_head SET root = zeroblob(32) WHERE id = 1");
        await Loopback.WaitUntilAsync(() => IntegrityFailedAsync(http), Soon,
            () => "/readyz stayed ready with the head's root altered");
        await Loopback.WaitUntilAsync(() => Task.FromResult(_logs.Any(l => l is { Level: LogLevel.Critical, EventId: 7404 } && l.Message.Contains("300", StringComparison.Ordinal))),
            Soon, Critical);
    }

    [Fact]
    public async Task An_entry_and_its_leaf_hash_altered_together_are_served_but_the_audit_re_check_and_the_self_audit_find_them()
    {
        await IssueAsync(_service, _service.KeyDirectory, 6);
        var auditor = new LogAuditor(_service.Anonymous());
        var key = await _service.Anonymous().GetLogVerifierKeyAsync();
        var first = await auditor.AuditAsync(null, key, []);
        Assert.True(first.Ok, string.Join("\n", first.Findings));

        // A careful forger rewrites the leaf hash in the level-0 tile too; a restarted replica (no cached tiles) serves it.
        var forged = "{\"type\":\"issuance\",\"forged\":true}"u8.ToArray();
        var tile = await _service.CreateClient().GetByteArrayAsync("/log/tile/0/000.p/6");
        MerkleHash.LeafHash(forged).CopyTo(tile, 4 * MerkleHash.Size);
        await Sql(_service, $"UPDATE log_entries SET data = X'{Convert.ToHexString(forged)}' WHERE idx = 4");
        await Sql(_service, $"UPDATE log_tiles SET hashes = X'{Convert.ToHexString(tile)}' WHERE level = 0 AND idx = 0");
        using var restarted = new ServiceFactory(settings: new Dictionary<string, string?> { ["Log:SelfAudit:Interval"] = "00:00:01" }, dataDirectory: _service.DataDirectory);
        var served = await restarted.Anonymous().GetLogEntriesAsync(4, 1);
        Assert.Equal(forged, Convert.FromBase64String(served.Entries[0].Data));

        var second = await new LogAuditor(restarted.Anonymous()).AuditAsync(first.State, key, []);

        Assert.False(second.Ok);
        // The forged leaf hash enters every proof whose path crosses its subtree, so the first re-checked entry may fail first.
        Assert.Contains(second.Findings, f => f.StartsWith("FAILED: Entry ", StringComparison.Ordinal) && f.Contains("altered", StringComparison.Ordinal));
        var http = restarted.CreateClient();
        await Loopback.WaitUntilAsync(() => IntegrityFailedAsync(http), Soon,
            () => "/readyz stayed ready although the tree's root no longer matches its tiles");
    }

    [Fact]
    public async Task A_missing_entry_is_a_log_integrity_problem_not_a_short_page()
    {
        await IssueAsync(_service, _service.KeyDirectory, 4);
        await Sql(_service, "DELETE FROM log_entries WHERE idx = 1");

        var response = await _service.CreateClient().GetAsync("/log/entries?start=0&count=4");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("missing", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Readiness fails for the log's integrity (not for a database busy with the test's own write).</summary>
    internal static async Task<bool> IntegrityFailedAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/readyz");
        return response.StatusCode == HttpStatusCode.ServiceUnavailable
               && (await response.Content.ReadAsStringAsync()).Contains("log-integrity", StringComparison.Ordinal);
    }

    private string Critical() => string.Join("\n", _logs.Where(l => l.Level >= LogLevel.Warning).Select(l => $"{l.EventId}: {l.Message}"));

    private WebApplicationFactory<Program> Capturing(ServiceFactory service) =>
        service.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(new CapturingLoggerProvider(_logs))));

    /// <summary>Enrols a trusted provider on <paramref name="service"/> and issues <paramref name="count"/> credentials through it.</summary>
    internal static async Task<List<Credential>> IssueAsync(WebApplicationFactory<Program> service, string keyDirectory, int count, string domain = "gate.test")
    {
        var client = await EnrolAsync(service, keyDirectory, domain);
        using var user = ClientCredentials.GenerateEs256("u");
        var issued = new List<Credential>();
        for (var i = 0; i < count; i++)
        {
            issued.Add(await client.IssueCredentialAsync($"tel:+1555066{i:D4}", $"mimi://{domain}/u/user{i}", user.SubjectPublicKeyInfo, attested: true));
        }

        return issued;
    }

    /// <summary>Enrols <paramref name="domain"/> as a trusted provider through the development operator; a client acting as it.</summary>
    private static async Task<MimiDiscoveryClient> EnrolAsync(WebApplicationFactory<Program> service, string keyDirectory, string domain)
    {
        var http = service.CreateClient(); // starts the service, which creates the operator's key
        var operatorKey = ClientCredentials.Load("operator", Path.Combine(keyDirectory, "operator.key"));
        var provider = ClientCredentials.GenerateEs256(domain);
        await new MimiDiscoveryClient(http, operatorKey).EnrolProviderAsync(domain, "ops@" + domain, [provider.PublicJwk], trusted: true);
        return new MimiDiscoveryClient(service.CreateClient(), provider);
    }

    private static async Task Sql(ServiceFactory service, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={service.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<(LogLevel, int, string)> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(LogLevel, int, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}

/// <summary>The same integrity checks on PostgreSQL, where the rows are altered through another connection.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLogIntegrityTests(PostgresServer server)
{
    [Fact]
    public async Task Regression_entry_altered_in_postgres_is_refused_and_the_self_audit_fails_readiness()
    {
        var database = await server.CreateDatabaseAsync();
        using var service = new ServiceFactory(database, new Dictionary<string, string?> { ["Log:SelfAudit:Interval"] = "00:00:01" });
        await LogIntegrityTests.IssueAsync(service, service.KeyDirectory, 4);
        var http = service.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var tamper = new NpgsqlCommand("UPDATE log_entries SET data = convert_to('{\"type\":\"issuance\",\"forged\":true}', 'UTF8') WHERE idx = 1", connection);
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        await Loopback.WaitUntilAsync(() => LogIntegrityTests.IntegrityFailedAsync(http), TimeSpan.FromSeconds(20),
            () => "/readyz stayed ready");
        var response = await http.GetAsync("/log/entries?start=0&count=4");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("log-integrity", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
