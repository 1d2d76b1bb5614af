using System.Security.Cryptography;
using System.Text.Json;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Authority;

public sealed class IssuanceTests : IDisposable
{
    private const string Bob = "mimi://beta.test/u/bob";
    private const string BobNumber = "tel:+15550001111";
    private readonly CodeGateway _gateway = new();
    private readonly ServiceFactory _service;
    private readonly string _work = Directory.CreateTempSubdirectory("mimi-issuance-").FullName;

    public IssuanceTests() => _service = new ServiceFactory(settings: _gateway.Settings());

    public void Dispose()
    {
        _service.Dispose();
        _gateway.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task One_time_code_binds_a_number_and_openssl_verifies_the_credential_with_the_published_chain()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test");
        using var user = ClientCredentials.GenerateEd25519("bob");

        var challenge = await beta.CreateChallengeAsync("tel:+1-555-000-1111", Bob);
        var credential = await beta.IssueCredentialAsync(BobNumber, Bob, user.SubjectPublicKeyInfo, ["mobile"], challenge.ChallengeId, _gateway.LastCodeFor(BobNumber));

        Assert.Equal("one-time-code", credential.Attestation);
        Assert.Equal("Bearer gateway-secret", _gateway.AuthorizationHeaders().Last());
        var leaf = Write("leaf.pem", credential.Certificate);
        var chain = await _service.CreateClient().GetStringAsync("/ca/chain.pem");
        var certificates = System.Text.RegularExpressions.Regex.Matches(chain, "-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----");
        var intermediate = Write("int.pem", certificates[0].Value + "\n");
        var root = Write("root.pem", certificates[1].Value + "\n");
        var (code, output) = await Tools.RunAsync("openssl", $"verify -x509_strict -CAfile {root} -untrusted {intermediate} {leaf}");
        Assert.True(code == 0, output);
        var (_, text) = await Tools.RunAsync("openssl", $"x509 -in {leaf} -noout -text");
        Assert.Contains("URI:mimi://beta.test/u/bob", text);
        Assert.Contains("URI:tel:+15550001111", text);
        Assert.Contains("1.3.6.1.5.5.7.3.40", text);
        Assert.Contains("1.3.6.1.5.5.7.1.26", text);
        // The identifier index proof: a non-critical extension that the strict verification above accepted.
        Assert.Contains("2.25.158306642210682432174046967317967032336.2:", text);
        var (parsed, structure) = await Tools.RunAsync("openssl", $"asn1parse -in {leaf} -i");
        Assert.True(parsed == 0, structure);
        Assert.Contains(":2.25.158306642210682432174046967317967032336.2", structure);
    }

    [Fact]
    public async Task Mapping_assertion_verifies_with_jose_against_the_published_jwks()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test");
        using var user = ClientCredentials.GenerateEs256("bob");
        var challenge = await beta.CreateChallengeAsync(BobNumber, Bob);
        var credential = await beta.IssueCredentialAsync(BobNumber, Bob, user.SubjectPublicKeyInfo, ["mobile", "work"], challenge.ChallengeId, _gateway.LastCodeFor(BobNumber));
        var jwks = Write("jwks.json", await _service.CreateClient().GetStringAsync("/.well-known/jwks.json"));
        var token = Write("token.jws", credential.Assertion);

        var (code, output) = await Tools.RunAsync("node", $"verify.mjs {jwks} {token} http://localhost", Tools.Peer("jose"));

        Assert.True(code == 0, output);
        var payload = JsonDocument.Parse(output).RootElement.GetProperty("payload");
        Assert.Equal(BobNumber, payload.GetProperty("sub").GetString());
        Assert.Equal(Bob, payload.GetProperty("ssi").GetString());
        Assert.Equal("beta.test", payload.GetProperty("provider").GetString());
        Assert.Equal(credential.LogIndex, payload.GetProperty("log_index").GetInt64());
        Assert.Equal(["mobile", "work"], payload.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("one-time-code", payload.GetProperty("attestation").GetString());
        Assert.Equal(16, payload.GetProperty("vrf_kid").GetString()!.Length);
        Assert.Equal(81, System.Buffers.Text.Base64Url.DecodeFromChars(payload.GetProperty("vrf_proof").GetString()!).Length);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(payload.GetProperty("log_opening").GetString()!).Length);
    }

    [Fact]
    public async Task Codes_are_stored_hashed_and_a_wrong_code_uses_up_attempts()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test");
        using var user = ClientCredentials.GenerateEs256("bob");
        var challenge = await beta.CreateChallengeAsync(BobNumber, Bob);
        var code = _gateway.LastCodeFor(BobNumber);
        foreach (var file in new[] { _service.DatabasePath, _service.DatabasePath + "-wal" }.Where(File.Exists))
        {
            Assert.True((await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(code)) < 0, "the code must not be stored in clear");
        }

        for (var i = 0; i < 5; i++)
        {
            var wrong = await Assert.ThrowsAsync<MimiApiException>(() =>
                beta.IssueCredentialAsync(BobNumber, Bob, user.SubjectPublicKeyInfo, null, challenge.ChallengeId, code == "000000" ? "000001" : "000000"));
            Assert.Equal("urn:mimi-discovery:problem:proof-of-control-failed", wrong.Problem?.Type);
        }

        var exhausted = await Assert.ThrowsAsync<MimiApiException>(() =>
            beta.IssueCredentialAsync(BobNumber, Bob, user.SubjectPublicKeyInfo, null, challenge.ChallengeId, code));
        Assert.Equal(400, exhausted.Status);
        Assert.Contains("out of attempts", exhausted.Problem?.Detail);
    }

    [Fact]
    public async Task A_code_works_once()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test");
        using var user = ClientCredentials.GenerateEs256("bob");
        var challenge = await beta.CreateChallengeAsync(BobNumber, Bob);
        var code = _gateway.LastCodeFor(BobNumber);
        await beta.IssueCredentialAsync(BobNumber, Bob, user.SubjectPublicKeyInfo, null, challenge.ChallengeId, code);

        var again = await Assert.ThrowsAsync<MimiApiException>(() => beta.IssueCredentialAsync(BobNumber, Bob, user.SubjectPublicKeyInfo, null, challenge.ChallengeId, code));

        Assert.Equal(400, again.Status);
    }

    [Fact]
    public async Task Provider_A_cannot_act_on_provider_Bs_users_challenges_or_credentials()
    {
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var (beta, _) = await _service.EnrolAsync("beta.test");
        using var user = ClientCredentials.GenerateEs256("bob");
        var challenge = await beta.CreateChallengeAsync(BobNumber, Bob);
        var code = _gateway.LastCodeFor(BobNumber);

        var forOthersUser = await Assert.ThrowsAsync<MimiApiException>(() => alpha.CreateChallengeAsync(BobNumber, Bob));
        var othersChallenge = await Assert.ThrowsAsync<MimiApiException>(() =>
            alpha.IssueCredentialAsync(BobNumber, "mimi://alpha.test/u/mallory", user.SubjectPublicKeyInfo, null, challenge.ChallengeId, code));
        var credential = await beta.IssueCredentialAsync(BobNumber, Bob, user.SubjectPublicKeyInfo, null, challenge.ChallengeId, code);
        var read = await Assert.ThrowsAsync<MimiApiException>(() => alpha.GetCredentialAsync(credential.Serial));
        var revoke = await Assert.ThrowsAsync<MimiApiException>(() => alpha.RevokeCredentialAsync(credential.Serial));

        Assert.Equal(403, forOthersUser.Status);
        Assert.Equal(400, othersChallenge.Status);
        Assert.Equal(404, read.Status);
        Assert.Equal(404, revoke.Status);
        Assert.Null((await beta.GetCredentialAsync(credential.Serial)).RevokedAt);
    }

    [Fact]
    public async Task Only_trusted_providers_may_attest_and_the_attestation_is_recorded()
    {
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var (gatekeeper, _) = await _service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");

        var refused = await Assert.ThrowsAsync<MimiApiException>(() =>
            alpha.IssueCredentialAsync("tel:+15550002222", "mimi://alpha.test/u/ann", user.SubjectPublicKeyInfo, attested: true));
        var attested = await gatekeeper.IssueCredentialAsync("tel:+15550002222", "mimi://gate.test/u/ann", user.SubjectPublicKeyInfo, attested: true);

        Assert.Equal(403, refused.Status);
        Assert.Equal("provider", attested.Attestation);
        // The log commits to the attestation; the credential's opening shows it.
        var entry = await _service.Anonymous().GetLogEntriesAsync(attested.LogIndex, 1);
        var view = await IndexedLog.CredentialViewAsync(await IndexedLog.BearerAsync(_service, gatekeeper), attested.Serial);
        var logged = JsonDocument.Parse(IndexedLog.Base64(view.GetProperty("transparency"), "value")).RootElement;
        Assert.Equal("provider", logged.GetProperty("attestation").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(attested.Certificate).RawData)),
            logged.GetProperty("certificateSha256").GetString());
        Assert.DoesNotContain("5550002222", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(entry.Entries[0].Data)));
    }

    [Fact]
    public async Task Revocation_is_logged_and_published_in_the_crl_that_openssl_checks()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var credential = await gate.IssueCredentialAsync("mailto:ann@example.org", "mimi://gate.test/u/ann", user.SubjectPublicKeyInfo, attested: true);
        var http = _service.CreateClient();
        var chain = await http.GetStringAsync("/ca/chain.pem");
        var parts = System.Text.RegularExpressions.Regex.Matches(chain, "-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----");
        var root = Write("root.pem", parts[1].Value + "\n");
        var intermediate = Write("int.pem", parts[0].Value + "\n");
        var leaf = Write("leaf.pem", credential.Certificate);

        var before = await VerifyWithCrlAsync(http, root, intermediate, leaf);
        var revoked = await _service.Operator().RevokeCredentialAsync(credential.Serial, "keyCompromise");
        var after = await VerifyWithCrlAsync(http, root, intermediate, leaf);

        Assert.True(before.ExitCode == 0, before.Output);
        Assert.NotEqual(0, after.ExitCode);
        Assert.Contains("error 23", after.Output);
        Assert.Equal(credential.LogIndex + 1, revoked.RevocationLogIndex);
        var conflict = await Assert.ThrowsAsync<MimiApiException>(() => gate.RevokeCredentialAsync(credential.Serial));
        Assert.Equal(409, conflict.Status);
    }

    [Fact]
    public async Task Bad_identifiers_and_keys_are_400s_naming_the_problem()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);

        var number = await Assert.ThrowsAsync<MimiApiException>(() => beta.CreateChallengeAsync("tel:5550001111", Bob));
        var ssi = await Assert.ThrowsAsync<MimiApiException>(() => beta.CreateChallengeAsync(BobNumber, "mimi://beta.test/x/bob"));
        var key = await Assert.ThrowsAsync<MimiApiException>(() => beta.IssueCredentialAsync(BobNumber, Bob, [1, 2, 3], attested: true));

        Assert.Equal("tel.not-global", number.Problem!.Extensions!["code"].GetString());
        Assert.Equal("sii", number.Problem.Extensions["field"].GetString());
        Assert.Equal("ssi", ssi.Problem!.Extensions!["field"].GetString());
        Assert.Equal(400, key.Status);
        Assert.Equal("publicKey", key.Problem!.Extensions!["field"].GetString());
    }

    [Fact]
    public async Task Sends_per_identifier_are_limited_with_retry_after()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test");
        for (var i = 0; i < 5; i++)
        {
            await beta.CreateChallengeAsync(BobNumber, Bob);
        }

        var limited = await Assert.ThrowsAsync<MimiApiException>(() => beta.CreateChallengeAsync(BobNumber, Bob));

        Assert.Equal(429, limited.Status);
        Assert.Equal(5, _gateway.Sent().Count);
    }

    [Fact]
    public async Task An_expired_code_is_refused_even_when_right()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var service = new ServiceFactory(settings: _gateway.Settings(), time: time);
        var (beta, _) = await service.EnrolAsync("beta.test");
        using var user = ClientCredentials.GenerateEs256("bob");
        await beta.GetAccessTokenAsync();
        var challenge = await beta.CreateChallengeAsync(BobNumber, Bob);

        time.Advance(TimeSpan.FromMinutes(11));
        var expired = await Assert.ThrowsAsync<MimiApiException>(() =>
            beta.IssueCredentialAsync(BobNumber, Bob, user.SubjectPublicKeyInfo, null, challenge.ChallengeId, _gateway.LastCodeFor(BobNumber)));

        Assert.Equal(400, expired.Status);
        Assert.Contains("expired", expired.Problem?.Detail);
    }

    [Fact]
    public async Task Sends_per_provider_are_limited_across_identifiers()
    {
        var settings = _gateway.Settings();
        settings["ProofOfControl:SendsPerProvider"] = "3";
        using var service = new ServiceFactory(settings: settings);
        var (beta, _) = await service.EnrolAsync("beta.test");
        for (var i = 0; i < 3; i++)
        {
            await beta.CreateChallengeAsync($"tel:+1555000{i:D4}", Bob);
        }

        var limited = await Assert.ThrowsAsync<MimiApiException>(() => beta.CreateChallengeAsync("mailto:bob@example.org", Bob));

        Assert.Equal(429, limited.Status);
        Assert.Contains("per provider", limited.Problem?.Detail);
    }

    [Theory]
    [InlineData("fail")]
    [InlineData("garble")]
    [InlineData("hang")]
    public async Task A_failing_gateway_is_a_502_and_the_code_is_forgotten(string behaviour)
    {
        var (beta, _) = await _service.EnrolAsync("beta.test");
        switch (behaviour)
        {
            case "fail": _gateway.Fail(); break;
            case "garble": _gateway.Garble(); break;
            default: _gateway.Hang(TimeSpan.FromSeconds(5)); break;
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var failed = await Assert.ThrowsAsync<MimiApiException>(() => beta.CreateChallengeAsync(BobNumber, Bob));

        Assert.Equal(502, failed.Status);
        Assert.Equal("urn:mimi-discovery:problem:gateway-failed", failed.Problem?.Type);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4.5), "the 2 s gateway timeout must cut a hanging gateway short");
        _gateway.Accept();
        for (var i = 0; i < 5; i++)
        {
            await beta.CreateChallengeAsync(BobNumber, Bob); // failed sends did not count against the limit
        }
    }

    private static async Task<(int ExitCode, string Output)> VerifyWithCrlAsync(HttpClient http, string root, string intermediate, string leaf)
    {
        var crl = Path.Combine(Path.GetDirectoryName(root)!, "int.crl");
        var der = await http.GetByteArrayAsync("/ca/intermediate.crl");
        await File.WriteAllTextAsync(crl, PemEncoding.WriteString("X509 CRL", der) + "\n");
        return await Tools.RunAsync("openssl", $"verify -crl_check -CRLfile {crl} -CAfile {root} -untrusted {intermediate} {leaf}");
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, content);
        return path;
    }
}
