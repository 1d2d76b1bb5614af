using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;
using Npgsql;
using Xunit.Abstractions;

namespace Mimi.Discovery.Server.Tests.Authority;

/// <summary>Bulk import on the embedded database: good rows are issued and logged, bad rows are reported by line number.</summary>
public sealed class ImportTests : IDisposable
{
    private readonly ServiceFactory _service = new(settings: new Dictionary<string, string?>
    {
        // Small batches and a short line limit, so a handful of rows crosses batch boundaries and the limit.
        ["Import:BatchSize"] = "2",
        ["Import:MaxLineBytes"] = "1024",
    });

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Good_rows_around_bad_ones_are_issued_and_logged_and_bad_rows_are_reported_by_line()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);
        var lines = new[]
        {
            /* 1 */ "{\"sii\": \"tel:+15550300001\", \"ssi\": ",
            /* 2 */ Row("tel:+15550300002", "mimi://gate.test/u/u2", key, "mobile"),
            /* 3 */ Row("mailto:u3@gate.test", "mimi://gate.test/u/u3", key),
            /* 4 */ Row("tel:12", "mimi://gate.test/u/u4", key),
            /* 5 */ "",
            /* 6 */ Row("tel:+15550300006", "mimi://gate.test/u/u6", key),
            /* 7 */ Row("tel:+15550300007", "mimi://other.test/u/u7", key),
            /* 8 */ Row("tel:+15550300008", "mimi://gate.test/u/u8", Convert.ToBase64String([0x30, 0x03, 0x02, 0x01, 0x00])),
            /* 9 */ "{\"sii\": \"tel:+15550300009\", \"padding\": \"" + new string('x', 2000) + "\"}",
            /* 10 */ Row("im:u10@gate.test", "mimi://gate.test/u/u10", key, "work", "mobile"),
            /* 11 */ Row("tel:+15550300011", "mimi://gate.test/u/u11", key),
            /* 12 */ "[1, 2",
        };

        var result = await gate.ImportAsync(Ndjson(string.Join("\n", lines)));

        Assert.Equal(5, result.Imported);
        Assert.Equal(6, result.Rejected);
        Assert.Equal([1L, 4, 7, 8, 9, 12], result.Errors.Select(e => e.Line));
        Assert.Equal(["json", "sii", "ssi", "publicKey", "line", "json"], result.Errors.Select(e => e.Field));
        Assert.Equal("ssi.foreign-domain", result.Errors[2].Code);
        Assert.Equal("publicKey.invalid", result.Errors[3].Code);
        Assert.Equal("line.too-long", result.Errors[4].Code);
        Assert.Equal(0, result.FirstLogIndex);
        Assert.Equal(4, result.LastLogIndex);

        var found = await gate.LookupAsync(["tel:+15550300002", "tel:+15550300011", "tel:+15550300007"]);
        Assert.Equal("mimi://gate.test/u/u2", Assert.Single(found.Results[0].Mappings).Ssi);
        Assert.Equal(["mobile"], found.Results[0].Mappings[0].Tags);
        Assert.Equal("mimi://gate.test/u/u11", Assert.Single(found.Results[1].Mappings).Ssi);
        Assert.Empty(found.Results[2].Mappings);

        var audit = await new LogAuditor(_service.Anonymous()).AuditAsync(null, await _service.Anonymous().GetLogVerifierKeyAsync(), []);
        Assert.True(audit.Ok, string.Join("\n", audit.Findings));
        Assert.Equal(5, audit.State!.Size);
    }

    [Fact]
    public async Task A_byte_order_mark_and_windows_line_ends_are_accepted()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);

        var result = await gate.ImportAsync(Ndjson("\uFEFF" + Row("tel:+15550330001", "mimi://gate.test/u/a", key) + "\r\n"
            + Row("tel:+15550330002", "mimi://gate.test/u/b", key) + "\r\n"));

        Assert.Equal(2, result.Imported);
        Assert.Equal(0, result.Rejected);
    }

    [Fact]
    public async Task Imported_mapping_is_answered_with_an_assertion_signed_on_first_use_that_jose_verifies()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);
        var result = await gate.ImportAsync(Ndjson(Row("tel:+15550340001", "mimi://gate.test/u/a", key) + "\n"
            + Row("tel:+15550340002", "mimi://gate.test/u/b", key, "work", "mobile") + "\n"));

        var first = (await gate.LookupAsync(["tel:+15550340002"])).Results[0].Mappings[0].Assertion;
        var again = (await gate.LookupAsync(["tel:+15550340002"])).Results[0].Mappings[0].Assertion;

        // Signed once on this replica, then served from the kept signature.
        Assert.Equal(first, again);
        var work = Directory.CreateTempSubdirectory("mimi-import-jws-").FullName;
        try
        {
            var jwks = Path.Combine(work, "jwks.json");
            await File.WriteAllTextAsync(jwks, await _service.CreateClient().GetStringAsync("/.well-known/jwks.json"));
            var payload = await VerifyAsync(jwks, Path.Combine(work, "lookup.jws"), first);
            Assert.Equal("tel:+15550340002", payload.GetProperty("sub").GetString());
            Assert.Equal("mimi://gate.test/u/b", payload.GetProperty("ssi").GetString());
            Assert.Equal("gate.test", payload.GetProperty("provider").GetString());
            Assert.Equal(["work", "mobile"], payload.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(result.LastLogIndex, payload.GetProperty("log_index").GetInt64());

            // The credential as its provider reads it carries an assertion with the same claims.
            var credential = await gate.GetCredentialAsync(payload.GetProperty("cred").GetString()!);
            var read = await VerifyAsync(jwks, Path.Combine(work, "credential.jws"), credential.Assertion);
            Assert.Equal(credential.LogIndex, read.GetProperty("log_index").GetInt64());
            Assert.Equal(payload.GetProperty("iat").GetInt64(), read.GetProperty("iat").GetInt64());
            Assert.Equal(payload.GetProperty("exp").GetInt64(), read.GetProperty("exp").GetInt64());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Imported_credentials_get_the_proof_of_their_index_where_first_served_and_it_verifies()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);
        var result = await gate.ImportAsync(Ndjson(Row("tel:+15550350001", "mimi://gate.test/u/a", key) + "\n" + Row("tel:+15550350002", "mimi://gate.test/u/b", key)));
        var (current, keys) = await IndexedLog.VrfKeysAsync(_service);
        Assert.Equal([null, null], await StoredProofsAsync());

        // A lookup serves the first: its assertion carries a proof of the index its entry shows.
        var looked = Assert.Single((await gate.LookupAsync(["tel:+15550350001"])).Results[0].Mappings);
        var claims = IndexedLog.Claims(looked.Assertion);
        var entry = (await IndexedLog.EntryAsync(_service, result.FirstLogIndex!.Value)).Entry;
        Assert.Equal((2, current), (entry.Format, entry.VrfKeyId));
        Assert.Equal(current, claims.GetProperty("vrf_kid").GetString());
        Assert.Equal(entry.IdentifierIndex, IndexedLog.VerifiedIndex(keys[current], "tel:+15550350001", IndexedLog.Base64Url(claims, "vrf_proof")));
        Assert.Equal("provider", claims.GetProperty("attestation").GetString());

        // A credential read serves the second: the proof beside the certificate (which has no extension), kept in its row.
        var http = await IndexedLog.BearerAsync(_service, gate);
        var list = await http.GetFromJsonAsync<JsonElement>("/v1/authority/credentials");
        var second = list.EnumerateArray().Single(c => c.GetProperty("sii").GetString() == "tel:+15550350002");
        var transparency = second.GetProperty("transparency");
        var secondEntry = (await IndexedLog.EntryAsync(_service, result.LastLogIndex!.Value)).Entry;
        Assert.Null(Mimi.Discovery.Authority.IdentifierIndexProof.Find(
            System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(second.GetProperty("certificate").GetString()!)));
        Assert.Equal(secondEntry.IdentifierIndex, IndexedLog.VerifiedIndex(keys[current], "tel:+15550350002", IndexedLog.Base64(transparency, "vrfProof")));
        Assert.True(Mimi.Discovery.Transparency.LogCommitment.Opens(secondEntry.Commitment, IndexedLog.Base64(transparency, "opening"),
            IndexedLog.Base64(transparency, "value")));
        Assert.Equal(IndexedLog.Base64(transparency, "vrfProof"), IndexedLog.Base64Url(IndexedLog.Claims(second.GetProperty("assertion").GetString()!), "vrf_proof"));
        Assert.Equal(2, (await StoredProofsAsync()).Count(p => p is { Length: 81 }));
    }

    /// <summary>The stored VRF proofs of the credentials, in log order.</summary>
    private async Task<List<byte[]?>> StoredProofsAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_service.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT vrf_proof FROM credentials ORDER BY log_index";
        await using var reader = await query.ExecuteReaderAsync();
        var proofs = new List<byte[]?>();
        while (await reader.ReadAsync())
        {
            proofs.Add(reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0));
        }

        return proofs;
    }

    [Fact]
    public async Task Untrusted_provider_may_not_import()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test");
        using var user = ClientCredentials.GenerateEs256("u");

        var refused = await Assert.ThrowsAsync<MimiApiException>(() =>
            beta.ImportAsync(Ndjson(Row("tel:+15550300001", "mimi://beta.test/u/bob", Convert.ToBase64String(user.SubjectPublicKeyInfo)))));

        Assert.Equal(403, refused.Status);
        var audit = await new LogAuditor(_service.Anonymous()).AuditAsync(null, await _service.Anonymous().GetLogVerifierKeyAsync(), []);
        Assert.Equal(0, audit.State!.Size);
    }

    [Fact]
    public async Task Import_body_may_exceed_the_service_wide_body_limit()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);
        // Over 64 KiB (Limits:MaxRequestBodyBytes) with a declared length.
        var rows = Enumerable.Range(0, 400).Select(i => Row($"tel:+1555031{i:D4}", $"mimi://gate.test/u/u{i}", key));

        var result = await gate.ImportAsync(Ndjson(string.Join("\n", rows) + "\n"));

        Assert.Equal(400, result.Imported);
        Assert.Equal(0, result.Rejected);
        Assert.Equal(399, result.LastLogIndex);
    }

    [Fact]
    public async Task Import_body_over_its_own_limit_is_refused_with_413()
    {
        using var service = new ServiceFactory(settings: new Dictionary<string, string?> { ["Import:MaxBodyBytes"] = "2048" });
        var (gate, _) = await service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);
        var rows = Enumerable.Range(0, 40).Select(i => Row($"tel:+1555032{i:D4}", $"mimi://gate.test/u/u{i}", key));

        var refused = await Assert.ThrowsAsync<MimiApiException>(() => gate.ImportAsync(Ndjson(string.Join("\n", rows))));

        Assert.Equal(413, refused.Status);
        Assert.Equal("urn:mimi-discovery:problem:request-too-large", refused.Problem?.Type);
    }

    /// <summary>The payload of <paramref name="token"/> as the jose peer verifies it against the published key set.</summary>
    private static async Task<JsonElement> VerifyAsync(string jwks, string path, string token)
    {
        await File.WriteAllTextAsync(path, token);
        var (code, output) = await Tools.RunAsync("node", $"verify.mjs {jwks} {path} http://localhost", Tools.Peer("jose"));
        Assert.True(code == 0, output);
        return JsonDocument.Parse(output).RootElement.GetProperty("payload").Clone();
    }

    internal static string Row(string sii, string ssi, string publicKey, params string[] tags) =>
        $"{{\"sii\": \"{sii}\", \"ssi\": \"{ssi}\", \"publicKey\": \"{publicKey}\", \"tags\": [{string.Join(", ", tags.Select(t => $"\"{t}\""))}]}}";

    internal static MemoryStream Ndjson(string text) => new(Encoding.UTF8.GetBytes(text));
}

/// <summary>Bulk import on PostgreSQL, where large batches are written with binary COPY.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresImportTests(PostgresServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task Five_thousand_rows_are_copied_in_and_the_log_audits()
    {
        var database = await server.CreateDatabaseAsync();
        using var service = new ServiceFactory(database);
        var (gate, _) = await service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);
        var text = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            text.Append(ImportTests.Row($"tel:+1555040{i:D4}", $"mimi://gate.test/u/u{i}", key, "mobile")).Append('\n');
        }

        var clock = Stopwatch.StartNew();
        var result = await gate.ImportAsync(ImportTests.Ndjson(text.ToString()));
        clock.Stop();
        output.WriteLine($"Imported {result.Imported} rows in {clock.Elapsed.TotalSeconds:F2} s: {result.Imported / clock.Elapsed.TotalSeconds:F0} rows/s");

        Assert.Equal(5000, result.Imported);
        Assert.Equal(0, result.Rejected);
        Assert.Equal(0, result.FirstLogIndex);
        Assert.Equal(4999, result.LastLogIndex);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT log_index), min(log_index), max(log_index) FROM credentials", connection);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal([5000L, 5000L, 0L, 4999L], [reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)]);
        }

        var found = await gate.LookupAsync(["tel:+15550404999"]);
        Assert.Equal("mimi://gate.test/u/u4999", Assert.Single(found.Results[0].Mappings).Ssi);
        var audit = await new LogAuditor(service.Anonymous()).AuditAsync(null, await service.Anonymous().GetLogVerifierKeyAsync(), []);
        Assert.True(audit.Ok, string.Join("\n", audit.Findings));
        Assert.Equal(5000, audit.State!.Size);
    }
}
