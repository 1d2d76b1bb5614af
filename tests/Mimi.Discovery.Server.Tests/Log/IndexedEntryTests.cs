using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log;

/// <summary>
/// What the log shows of an issuance or revocation (docs/accountability.md §2, §3): a VRF index of the identifier and a
/// commitment; the credential proves its own index (extension, assertion, view) and carries the opening of its entry.
/// </summary>
public sealed class IndexedEntryTests : IDisposable
{
    private const string BobNumber = "tel:+15550001111";
    private const string Bob = "mimi://beta.test/u/bob";
    private readonly ServiceFactory _service = new();
    private readonly ClientCredentials _user = ClientCredentials.GenerateEs256("bob");

    public void Dispose()
    {
        _service.Dispose();
        _user.Dispose();
    }

    [Fact]
    public async Task An_issuance_entry_names_neither_the_identifier_nor_the_user_provider_or_serial()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var credential = await beta.IssueCredentialAsync(BobNumber, Bob, _user.SubjectPublicKeyInfo, attested: true);

        var (bytes, entry) = await IndexedLog.EntryAsync(_service, credential.LogIndex);

        var text = Encoding.UTF8.GetString(bytes);
        var hash = Convert.ToHexStringLower(SHA256.HashData(X509Certificate2.CreateFromPem(credential.Certificate).RawData));
        foreach (var secret in new[] { BobNumber, "5550001111", Bob, "u/bob", "beta.test", credential.Serial, hash, "provider" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal((2, LogEntryType.Issuance), (entry.Format, entry.Type));
        Assert.StartsWith("{\"v\":2,\"type\":\"issuance\",\"time\":\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_entry_of_thousands_of_issuances_contains_an_identifier_user_provider_or_serial()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        var key = Convert.ToBase64String(_user.SubjectPublicKeyInfo);
        var rows = Enumerable.Range(0, 3000).Select(i => Authority.ImportTests.Row($"tel:+1555060{i:D4}", $"mimi://gate.test/u/user{i}", key)).ToList();
        var imported = await gate.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", rows))));
        Assert.Equal(3000, imported.Imported);
        var serials = (await (await IndexedLog.BearerAsync(_service, gate)).GetFromJsonAsync<JsonElement>("/v1/authority/credentials?limit=1000"))
            .EnumerateArray().Select(c => c.GetProperty("serial").GetString()!).ToList();

        var log = new StringBuilder();
        for (long start = 0; start < 3000; start += 1000)
        {
            foreach (var entry in (await _service.Anonymous().GetLogEntriesAsync(start, 1000)).Entries)
            {
                log.Append(Encoding.UTF8.GetString(Convert.FromBase64String(entry.Data))).Append('\n');
            }
        }

        var text = log.ToString();
        Assert.Equal(3000, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (var secret in new[] { "gate.test", "tel:", "+15550", "mimi://", "/u/user" }.Concat(serials))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch("15550[0-9]{5}", text);
    }

    [Fact]
    public async Task The_entry_index_is_the_vrf_output_of_the_proof_in_the_certificate_and_assertion_under_the_published_key()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var credential = await beta.IssueCredentialAsync(BobNumber, Bob, _user.SubjectPublicKeyInfo, attested: true);
        var (current, keys) = await IndexedLog.VrfKeysAsync(_service);
        var (_, entry) = await IndexedLog.EntryAsync(_service, credential.LogIndex);
        var view = await IndexedLog.CredentialViewAsync(await IndexedLog.BearerAsync(_service, beta), credential.Serial);
        var claims = IndexedLog.Claims(credential.Assertion);

        var extension = IdentifierIndexProof.Find(X509Certificate2.CreateFromPem(credential.Certificate));
        var transparency = view.GetProperty("transparency");

        Assert.NotNull(extension);
        Assert.Equal(current, entry.VrfKeyId);
        Assert.Equal(current, extension.KeyId);
        Assert.Equal(current, claims.GetProperty("vrf_kid").GetString());
        Assert.Equal(current, transparency.GetProperty("vrfKey").GetString());
        Assert.Equal(extension.Proof, IndexedLog.Base64Url(claims, "vrf_proof"));
        Assert.Equal(extension.Proof, IndexedLog.Base64(transparency, "vrfProof"));
        Assert.Equal(entry.IdentifierIndex, IndexedLog.VerifiedIndex(keys[current], BobNumber, extension.Proof));
        Assert.Equal(entry.IdentifierIndex, IndexedLog.Base64(transparency, "identifierIndex"));
        Assert.Equal(credential.LogIndex, transparency.GetProperty("logIndex").GetInt64());
        // The proof is over this identifier only.
        Assert.Null(IndexedLog.VerifiedIndex(keys[current], "tel:+15550001112", extension.Proof));
    }

    [Fact]
    public async Task Two_credentials_for_one_identifier_share_its_index_and_other_identifiers_have_others()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (gamma, _) = await _service.EnrolAsync("gamma.test", trusted: true);
        var first = await beta.IssueCredentialAsync(BobNumber, Bob, _user.SubjectPublicKeyInfo, attested: true);
        var second = await gamma.IssueCredentialAsync(BobNumber, "mimi://gamma.test/u/robert", _user.SubjectPublicKeyInfo, attested: true);
        var other = await beta.IssueCredentialAsync("tel:+15550001112", Bob, _user.SubjectPublicKeyInfo, attested: true);

        var indexes = new List<byte[]>();
        foreach (var c in new[] { first, second, other })
        {
            indexes.Add((await IndexedLog.EntryAsync(_service, c.LogIndex)).Entry.IdentifierIndex!);
        }

        Assert.Equal(indexes[0], indexes[1]);
        Assert.NotEqual(indexes[0], indexes[2]);
    }

    [Fact]
    public async Task The_opening_beside_the_credential_opens_its_entry_and_names_exactly_this_credential()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var credential = await beta.IssueCredentialAsync(BobNumber, Bob, _user.SubjectPublicKeyInfo, ["mobile"], attested: true);
        var (_, entry) = await IndexedLog.EntryAsync(_service, credential.LogIndex);
        var transparency = (await IndexedLog.CredentialViewAsync(await IndexedLog.BearerAsync(_service, beta), credential.Serial)).GetProperty("transparency");
        var opening = IndexedLog.Base64(transparency, "opening");
        var value = IndexedLog.Base64(transparency, "value");

        Assert.True(LogCommitment.Opens(entry.Commitment, opening, value));
        Assert.Equal(opening, IndexedLog.Base64Url(IndexedLog.Claims(credential.Assertion), "log_opening"));
        Assert.True(CommittedValue.TryParse(value, out var committed));
        var certificate = X509Certificate2.CreateFromPem(credential.Certificate);
        Assert.Equal(
            new CommittedValue(LogEntryType.Issuance, BobNumber, "beta.test", credential.Serial, Bob,
                Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), "provider", new DateTimeOffset(certificate.NotAfter.ToUniversalTime())),
            committed);
        // Another opening, or the value of another credential, does not open it.
        value[^2] ^= 1;
        Assert.False(LogCommitment.Opens(entry.Commitment, opening, value));
    }

    [Fact]
    public async Task A_revocation_entry_carries_the_credentials_index_and_opens_to_the_revocation()
    {
        var (beta, betaKey) = await _service.EnrolAsync("beta.test", trusted: true);
        var credential = await beta.IssueCredentialAsync(BobNumber, Bob, _user.SubjectPublicKeyInfo, attested: true);
        var revoked = await beta.RevokeCredentialAsync(credential.Serial, "keyCompromise");
        var issuance = (await IndexedLog.EntryAsync(_service, credential.LogIndex)).Entry;
        var (bytes, revocation) = await IndexedLog.EntryAsync(_service, revoked.RevocationLogIndex!.Value);

        var openings = await (await IndexedLog.BearerAsync(_service, _service.As(betaKey)))
            .PostAsJsonAsync("/v1/log/openings", new { logIndexes = new[] { revoked.RevocationLogIndex } });
        var opened = (await openings.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("openings")[0];

        Assert.Equal(LogEntryType.Revocation, revocation.Type);
        Assert.Equal(issuance.IdentifierIndex, revocation.IdentifierIndex);
        Assert.Equal(issuance.VrfKeyId, revocation.VrfKeyId);
        Assert.DoesNotContain(credential.Serial, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var value = IndexedLog.Base64(opened, "value");
        Assert.True(LogCommitment.Opens(revocation.Commitment, IndexedLog.Base64(opened, "opening"), value));
        Assert.True(CommittedValue.TryParse(value, out var committed));
        Assert.Equal(new CommittedValue(LogEntryType.Revocation, BobNumber, "beta.test", credential.Serial, RevokedBy: "beta.test", Reason: "keyCompromise"),
            committed);
    }

    [Fact]
    public async Task The_vrf_keys_are_published_anonymously_and_cacheable_in_the_contracts_shape()
    {
        var response = await _service.CreateClient().GetAsync("/.well-known/mimi-vrf-keys.json");
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(["suite", "current", "keys"], document.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ECVRF-P256-SHA256-TAI", document.GetProperty("suite").GetString());
        var key = Assert.Single(document.GetProperty("keys").EnumerateArray());
        Assert.Equal(["kid", "publicKey"], key.EnumerateObject().Select(p => p.Name));
        Assert.Equal(document.GetProperty("current").GetString(), key.GetProperty("kid").GetString());
        Assert.Equal(33, Convert.FromBase64String(key.GetProperty("publicKey").GetString()!).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_service.KeyDirectory, VrfKeyRing.KeyFile)));
    }
}
