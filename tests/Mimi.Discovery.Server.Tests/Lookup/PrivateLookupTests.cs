using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mimi.Discovery.Client;
using Mimi.Discovery.Oprf;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Lookup.Private;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Tests.Lookup;

public sealed class PrivateLookupTests : IDisposable
{
    private const string Bob = "tel:+15550001111";
    private readonly ServiceFactory _service = new(settings: new Dictionary<string, string?>
    {
        ["PrivateLookup:EvaluationsPerRequester"] = "1000",
        ["PrivateLookup:Window"] = "01:00:00",
        ["PrivateLookup:CatchUpInterval"] = "00:00:01",
    });

    private readonly ClientCredentials _userKey = ClientCredentials.GenerateEs256("u");

    public void Dispose()
    {
        _service.Dispose();
        _userKey.Dispose();
    }

    [Fact]
    public async Task Private_lookup_finds_an_issued_mapping_with_its_assertion()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        await beta.SetKeyMaterialUrlAsync("https://mimi.beta.test/v1/keyMaterial/{targetUser}");
        var issued = await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, ["mobile"], attested: true);
        await RecordsAsync(_service);

        var answer = (await Private(_service, alpha).LookupAsync(["tel:+1-555-000-1111", "tel:+15550009999"])).Results;

        Assert.Equal("found", answer[0].Status);
        var bob = Assert.Single(answer[0].Mappings);
        Assert.Equal(("beta.test", "mimi://beta.test/u/bob", issued.Serial, issued.Assertion), (bob.Provider, bob.Ssi, bob.Serial, bob.Assertion));
        Assert.Equal(["mobile"], bob.Tags);
        Assert.Equal((await alpha.LookupAsync([Bob])).Results[0].Mappings.Single(), bob, new MappingComparer());
        Assert.Equal("none", answer[1].Status);
        Assert.Empty(answer[1].Mappings);
    }

    [Fact]
    public async Task Bulk_imported_mappings_become_findable_privately()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var row = $"{{\"sii\": \"tel:+15550006001\", \"ssi\": \"mimi://gate.test/u/imported\", \"publicKey\": \"{Convert.ToBase64String(_userKey.SubjectPublicKeyInfo)}\", \"tags\": []}}";
        Assert.Equal(1, (await gate.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(row)))).Imported);
        var client = Private(_service, alpha);

        var answer = await client.LookupAsync(["tel:+15550006001"]);
        for (var i = 0; i < 300 && answer.Results[0].Status != "found"; i++)
        {
            await Task.Delay(50);
            answer = await client.LookupAsync(["tel:+15550006001"]);
        }

        Assert.Equal("mimi://gate.test/u/imported", Assert.Single(answer.Results[0].Mappings).Ssi);
        Assert.Equal(1, client.Evaluations);
    }

    [Fact]
    public async Task Record_rebuild_keeps_the_index_proof_of_an_imported_credential_in_its_row()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        var row = $"{{\"sii\": \"tel:+15550006002\", \"ssi\": \"mimi://gate.test/u/kept\", \"publicKey\": \"{Convert.ToBase64String(_userKey.SubjectPublicKeyInfo)}\", \"tags\": []}}";
        Assert.Equal(1, (await gate.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(row)))).Imported);
        var credentials = _service.Services.GetRequiredService<CredentialStore>();
        var serial = Assert.Single(await credentials.ListByProviderAsync("gate.test", 10, default)).Serial;
        Assert.Null((await credentials.GetAsync(serial, default))!.VrfProof);

        await RecordsAsync(_service);

        var proof = (await credentials.GetAsync(serial, default))!.VrfProof;
        Assert.NotNull(proof);
        Assert.Equal(proof, _service.Services.GetRequiredService<IndexProofs>().Complete((await credentials.GetAsync(serial, default))! with { VrfProof = null }).VrfProof);
    }

    [Fact]
    public async Task Hidden_removed_revoked_and_unknown_identifiers_answer_identically()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var hidden = await beta.IssueCredentialAsync("tel:+15550002001", "mimi://beta.test/u/h", _userKey.SubjectPublicKeyInfo, attested: true);
        await RecordsAsync(_service);
        var removed = await beta.IssueCredentialAsync("tel:+15550002002", "mimi://beta.test/u/r", _userKey.SubjectPublicKeyInfo, attested: true);
        await RecordsAsync(_service);
        var revoked = await beta.IssueCredentialAsync("tel:+15550002003", "mimi://beta.test/u/v", _userKey.SubjectPublicKeyInfo, attested: true);
        await RecordsAsync(_service);
        await beta.SetDiscoverabilityAsync(hidden.Serial, "nobody");
        await beta.RemoveMappingAsync(removed.Serial);
        await beta.RevokeCredentialAsync(revoked.Serial);
        string[] siis = ["tel:+15550002001", "tel:+15550002002", "tel:+15550002003", "tel:+15550002004"];

        var answer = (await Private(_service, alpha).LookupAsync(siis)).Results;

        Assert.All(answer, r => Assert.Equal(("none", 0), (r.Status, r.Mappings.Length)));
        var http = await AuthorizedAsync(_service, alpha);
        var shapes = new List<string>();
        foreach (var sii in siis)
        {
            var bucket = await BucketAsync(http, sii);
            shapes.Add(string.Join(",", bucket.Records.Select(r => $"{r.Tag.Length}/{r.Ciphertext.Length}")));
        }

        Assert.Single(shapes.Distinct());
    }

    [Fact]
    public async Task A_record_whose_assertion_belongs_to_another_mapping_is_refused_by_the_client()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var bob = await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);
        var carol = await beta.IssueCredentialAsync("tel:+15550003333", "mimi://beta.test/u/carol", _userKey.SubjectPublicKeyInfo, attested: true);
        await RecordsAsync(_service);

        // A misbehaving service: Bob's record, sealed correctly, but carrying Carol's signed assertion.
        var server = Keys(_service).Serving;
        var (tag, recordKey) = PrivateRecordCrypto.Derive(server.Evaluate(Encoding.UTF8.GetBytes(Bob)));
        var forged = PrivateRecordCrypto.Seal(recordKey, tag, new PrivateRecordPayload(bob.Ssi, bob.Provider, [], carol.Assertion, null, bob.Serial, bob.NotAfter));
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_service.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE private_records SET ciphertext = $c WHERE serial = $s AND key_id = $k";
            update.Parameters.AddWithValue("$c", forged);
            update.Parameters.AddWithValue("$s", bob.Serial);
            update.Parameters.AddWithValue("$k", server.Key.KeyId);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => Private(_service, alpha).LookupAsync([Bob]));

        Assert.Contains(Bob, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bucket_always_holds_at_least_k_records_with_the_real_one_among_them()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);
        await RecordsAsync(_service);
        var http = await AuthorizedAsync(_service, alpha);

        var full = await BucketAsync(http, Bob);
        var keyId = full.KeyId;
        var empty = await http.GetFromJsonAsync<BucketBody>($"/v1/lookup/private/buckets/{(full.Bucket + 1) % 65536}?keyId={keyId}");

        Assert.True(full.Records.Length >= 32);
        Assert.Equal(32, empty!.Records.Length);
        var (tag, _) = PrivateRecordCrypto.Derive(Keys(_service).Serving.Evaluate(Encoding.UTF8.GetBytes(Bob)));
        Assert.Single(full.Records, r => r.Tag.AsSpan().SequenceEqual(tag));
    }

    [Fact]
    public async Task The_service_never_sees_the_identifier_of_a_private_lookup()
    {
        var logs = new ConcurrentQueue<string>();
        using var service = _service.WithWebHostBuilder(b => b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(logs))));
        var recorder = new RecordingHandler();
        var operatorClient = new MimiDiscoveryClient(service.CreateClient(), ClientCredentials.Load("operator", Path.Combine(_service.KeyDirectory, "operator.key")));
        using var alphaKey = ClientCredentials.GenerateEs256("alpha.test");
        await operatorClient.EnrolProviderAsync("alpha.test", "ops@alpha.test", [alphaKey.PublicJwk]);
        var alpha = new MimiDiscoveryClient(service.CreateClient(), alphaKey);
        const string Secret = "tel:+15550004242";

        var answer = await new PrivateLookupClient(service.CreateDefaultClient(recorder), alpha).LookupAsync([Secret]);

        Assert.Equal("none", answer.Results[0].Status);
        var evaluate = Assert.Single(recorder.Requests, r => r.Uri.Contains("/evaluate", StringComparison.Ordinal));
        Assert.Equal(2 + 33, evaluate.Body.Length);
        foreach (var request in recorder.Requests)
        {
            Assert.DoesNotContain("5550004242", request.Uri, StringComparison.Ordinal);
            Assert.DoesNotContain("5550004242", Encoding.Latin1.GetString(request.Body), StringComparison.Ordinal);
        }

        Assert.NotEmpty(logs);
        Assert.DoesNotContain(logs, l => l.Contains("5550004242", StringComparison.Ordinal));
        foreach (var file in Directory.GetFiles(_service.DataDirectory, "mimi-discovery.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.DoesNotContain("5550004242", Encoding.Latin1.GetString(copy.ToArray()), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Lookups_keep_working_across_a_key_rotation_and_resyncs_need_no_evaluation_until_it()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);
        await RecordsAsync(_service);
        var client = Private(_service, alpha);
        Assert.Equal("found", (await client.LookupAsync([Bob])).Results[0].Status);
        Assert.Equal("found", (await client.LookupAsync([Bob])).Results[0].Status);
        Assert.Equal(1, client.Evaluations);
        var http = await AuthorizedAsync(_service, alpha);
        var oldKey = (await http.GetFromJsonAsync<KeyBody>("/v1/lookup/private/key"))!.KeyId;

        var operatorHttp = await AuthorizedAsync(_service, _service.Operator());
        var rotated = await operatorHttp.PostAsync("/v1/lookup/private/rotate", null);
        var during = (await client.LookupAsync([Bob])).Results[0].Status;
        await WaitForRebuildAsync(_service);
        const string Carol = "tel:+15550001112";
        await beta.IssueCredentialAsync(Carol, "mimi://beta.test/u/carol", _userKey.SubjectPublicKeyInfo, attested: true);
        await RecordsAsync(_service);
        var after = (await client.LookupAsync([Bob, Carol])).Results;

        Assert.Equal(HttpStatusCode.Accepted, rotated.StatusCode);
        Assert.Equal("found", during);
        Assert.Equal(["found", "found"], after.Select(r => r.Status));
        Assert.Equal(3, client.Evaluations);
        var newKey = (await http.GetFromJsonAsync<KeyBody>("/v1/lookup/private/key"))!.KeyId;
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/v1/lookup/private/buckets/0?keyId={oldKey}")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_private_lookup_endpoints()
    {
        var openapi = await _service.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openapi.GetProperty("paths");

        foreach (var path in new[] { "/v1/lookup/private/key", "/v1/lookup/private/evaluate", "/v1/lookup/private/buckets/{bucket}", "/v1/lookup/private/rotate" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var evaluate = paths.GetProperty("/v1/lookup/private/evaluate").GetProperty("post");
        Assert.True(evaluate.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/octet-stream", out _));
        Assert.True(evaluate.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/octet-stream", out _));
    }

    [Fact]
    public async Task An_evaluation_in_another_media_type_is_a_415_problem()
    {
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var http = await AuthorizedAsync(_service, alpha);

        var response = await http.PostAsync("/v1/lookup/private/evaluate", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("urn:mimi-discovery:problem:unsupported-media-type", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_rotation_on_one_replica_reaches_another_sharing_the_key_directory()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (_, alphaKey) = await _service.EnrolAsync("alpha.test");
        await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);
        await RecordsAsync(_service);
        using var replica = new ServiceFactory(settings: new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _service.DataDirectory,
            ["PrivateLookup:CatchUpInterval"] = "00:00:01",
        });
        var alphaThere = new MimiDiscoveryClient(replica.CreateClient(), alphaKey);
        var client = Private(replica, alphaThere);
        Assert.Equal("found", (await client.LookupAsync([Bob])).Results[0].Status);

        var rotated = await (await AuthorizedAsync(_service, _service.Operator())).PostAsync("/v1/lookup/private/rotate", null);
        await WaitForRebuildAsync(_service);
        var newKey = Keys(_service).Serving.Key.KeyId;
        var there = Keys(replica);
        for (var i = 0; i < 400 && there.Serving.Key.KeyId != newKey; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(HttpStatusCode.Accepted, rotated.StatusCode);
        Assert.Equal(newKey, there.Serving.Key.KeyId);
        Assert.Equal("found", (await client.LookupAsync([Bob])).Results[0].Status);
        Assert.Equal(2, client.Evaluations);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0001")]
    [InlineData("0001050000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0000")]
    public async Task Malformed_oprf_bytes_are_refused_with_a_problem(string hex)
    {
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var http = await AuthorizedAsync(_service, alpha);
        var body = new ByteArrayContent(Convert.FromHexString(hex));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var response = await http.PostAsync("/v1/lookup/private/evaluate", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:mimi-discovery:problem:invalid-request", problem.GetProperty("type").GetString());
        Assert.Equal("body", problem.GetProperty("field").GetString());
        Assert.Contains("OPRF evaluation request", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluations_over_the_quota_get_429_with_retry_after()
    {
        using var service = new ServiceFactory(settings: new Dictionary<string, string?>
        {
            ["PrivateLookup:EvaluationsPerRequester"] = "3",
            ["PrivateLookup:Window"] = "01:00:00",
        });
        var (alpha, _) = await service.EnrolAsync("alpha.test");
        var client = Private(service, alpha);
        await client.LookupAsync(["tel:+15550005001", "tel:+15550005002", "tel:+15550005003"]);
        var http = await AuthorizedAsync(service, alpha);
        var key = (await http.GetFromJsonAsync<KeyBody>("/v1/lookup/private/key"))!;
        var blinded = new OprfClient(OprfMode.Voprf, OprfElement.Decode(key.PublicKey).Value).Blind("tel:+15550005004"u8);
        var body = new ByteArrayContent(new OprfEvaluationRequest([blinded.BlindedElement]).ToArray());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var response = await http.PostAsync("/v1/lookup/private/evaluate", body);
        var refused = await Assert.ThrowsAsync<MimiApiException>(() => client.LookupAsync(["tel:+15550005005"]));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(429, refused.Status);
        Assert.Equal("urn:mimi-discovery:problem:rate-limited", refused.Problem?.Type);
        Assert.Equal(3, client.Evaluations);
        Assert.Equal("none", (await client.LookupAsync(["tel:+15550005001"])).Results[0].Status);
    }

    [Fact]
    public async Task Bucket_fetches_over_the_quota_get_429()
    {
        using var service = new ServiceFactory(settings: new Dictionary<string, string?> { ["PrivateLookup:BucketFetchesPerRequester"] = "2" });
        var (alpha, _) = await service.EnrolAsync("alpha.test");
        var http = await AuthorizedAsync(service, alpha);
        var key = (await http.GetFromJsonAsync<KeyBody>("/v1/lookup/private/key"))!;

        var first = await http.GetAsync($"/v1/lookup/private/buckets/1?keyId={key.KeyId}");
        var second = await http.GetAsync($"/v1/lookup/private/buckets/2?keyId={key.KeyId}");
        var third = await http.GetAsync($"/v1/lookup/private/buckets/3?keyId={key.KeyId}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
    }

    private static PrivateLookupClient Private(ServiceFactory service, MimiDiscoveryClient api) => new(service.CreateClient(), api);

    /// <summary>Issuance leaves the private record to the background builder: run its pass now.</summary>
    private static Task RecordsAsync(ServiceFactory service) => service.Services.GetRequiredService<PrivateRecordRebuilder>().CatchUpNowAsync(default);

    private static PrivateLookupKeys Keys(ServiceFactory service) => service.Services.GetRequiredService<PrivateLookupKeys>();

    private static async Task WaitForRebuildAsync(ServiceFactory service)
    {
        var keys = Keys(service);
        for (var i = 0; i < 2000 && keys.Rebuilding; i++)
        {
            await Task.Delay(20);
        }

        Assert.False(keys.Rebuilding);
    }

    /// <summary>The bucket an identifier's record lives in, computed from the service's key (as a client would from its OPRF output).</summary>
    private async Task<BucketBody> BucketAsync(HttpClient http, string sii)
    {
        var server = Keys(_service).Serving;
        var (tag, _) = PrivateRecordCrypto.Derive(server.Evaluate(Encoding.UTF8.GetBytes(sii)));
        var bucket = PrivateRecordCrypto.Bucket(tag, 16);
        return (await http.GetFromJsonAsync<BucketBody>($"/v1/lookup/private/buckets/{bucket}?keyId={server.Key.KeyId}"))!;
    }

    private static async Task<HttpClient> AuthorizedAsync(WebApplicationFactory<Program> service, MimiDiscoveryClient client)
    {
        var http = service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.GetAccessTokenAsync());
        return http;
    }

    private sealed record KeyBody(string KeyId, byte[] PublicKey, int PrefixBits, int BucketSize);

    private sealed record RecordBody(byte[] Tag, byte[] Ciphertext);

    private sealed record BucketBody(string KeyId, long Bucket, RecordBody[] Records);

    private sealed class MappingComparer : IEqualityComparer<LookupMapping>
    {
        public bool Equals(LookupMapping? x, LookupMapping? y) => x is not null && y is not null
            && (x.Ssi, x.Provider, x.Assertion, x.KeyMaterial, x.Serial, x.NotAfter) == (y.Ssi, y.Provider, y.Assertion, y.KeyMaterial, y.Serial, y.NotAfter)
            && x.Tags.SequenceEqual(y.Tags);

        public int GetHashCode(LookupMapping obj) => obj.Serial.GetHashCode(StringComparison.Ordinal);
    }

    private sealed class RecordingHandler : DelegatingHandler
    {
        public ConcurrentQueue<(string Uri, byte[] Body)> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Requests.Enqueue((request.RequestUri!.ToString(), body));
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + exception);
        }
    }
}

/// <summary><c>mimi lookup</c> as a user runs it: a separate process against the service on a real port.</summary>
public sealed class LookupCommandTests : IDisposable
{
    private readonly CliSession _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Mimi_lookup_prints_the_same_mapping_in_plain_and_private_mode()
    {
        var beta = $"--client-id beta.test --key {_cli.Work}/beta.key";
        await _cli.MimiAsync("keys generate --out beta.key");
        await _cli.MimiAsync($"provider enrol --domain beta.test --contact ops@beta.test --jwk beta.key.pub.jwk --trusted --client-id operator --key {_cli.Service.KeyDirectory}/operator.key");
        await _cli.MimiAsync("keys generate --out bob.key --alg ed25519");
        await _cli.MimiAsync($"issue --sii tel:+15550001111 --ssi mimi://beta.test/u/bob --public-key bob.key.pub --attest --tag mobile {beta}");
        await _cli.Service.Services.GetRequiredService<PrivateRecordRebuilder>().CatchUpNowAsync(default);

        var plain = await _cli.MimiAsync($"lookup tel:+15550001111 tel:+15550002222 {beta}");
        var hidden = await _cli.MimiAsync($"lookup tel:+15550001111 tel:+15550002222 --private {beta}");
        var json = await _cli.MimiAsync($"lookup tel:+15550001111 --private --json {beta}");

        Assert.Equal(plain, hidden);
        Assert.Contains("tel:+15550001111\tfound\tbeta.test\tmimi://beta.test/u/bob\ttags=mobile", hidden, StringComparison.Ordinal);
        Assert.Contains("tel:+15550002222\tnone", hidden, StringComparison.Ordinal);
        Assert.Equal(3, JsonDocument.Parse(json).RootElement.GetProperty("results")[0].GetProperty("mappings")[0].GetProperty("assertion").GetString()!.Split('.').Length);
    }
}
