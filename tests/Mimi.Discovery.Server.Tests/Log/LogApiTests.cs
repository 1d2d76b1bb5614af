using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Mimi.Discovery.Client;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log;

public sealed class LogApiTests : IDisposable
{
    private readonly ServiceFactory _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Checkpoint_is_a_signed_note_and_every_issuance_has_a_verifying_inclusion_proof()
    {
        var credentials = await IssueAsync(20);
        var log = _service.Anonymous();

        var key = await log.GetLogVerifierKeyAsync();
        Assert.True(NoteVerifier.TryParse(key, out var verifier));
        var opened = SignedNote.Open(Encoding.UTF8.GetBytes(await log.GetCheckpointAsync()), [verifier!]);
        Assert.True(opened.IsVerified);
        Assert.True(Checkpoint.TryParse(opened.Text!, out var checkpoint));
        Assert.Equal("localhost/test-log", checkpoint!.Origin);
        Assert.Equal(20, checkpoint.Size);
        foreach (var credential in credentials)
        {
            var entry = (await log.GetLogEntriesAsync(credential.LogIndex, 1)).Entries[0];
            var proof = await log.GetInclusionProofAsync(credential.LogIndex, checkpoint.Size);
            Assert.True(MerkleProof.VerifyInclusion(MerkleHash.LeafHash(Convert.FromBase64String(entry.Data)), credential.LogIndex, checkpoint.Size,
                proof.Hashes.Select(Convert.FromBase64String).ToArray(), checkpoint.RootHash));
        }
    }

    [Fact]
    public async Task Consistency_proofs_verify_between_every_pair_of_sizes()
    {
        await IssueAsync(9);
        var log = _service.Anonymous();
        var roots = new List<byte[]>();
        var entries = (await log.GetLogEntriesAsync(0, 9)).Entries.Select(e => MerkleHash.LeafHash(Convert.FromBase64String(e.Data))).ToList();
        for (var size = 1; size <= 9; size++)
        {
            roots.Add(MerkleHash.ComputeRoot(entries.Take(size).ToList()));
        }

        for (var from = 1; from <= 9; from++)
        {
            var proof = await log.GetConsistencyProofAsync(from, 9);
            Assert.True(MerkleProof.VerifyConsistency(from, 9, roots[from - 1], roots[8], proof.Hashes.Select(Convert.FromBase64String).ToArray()));
        }
    }

    [Theory]
    [InlineData("/log/proof/inclusion?index=5&size=3", "index")]
    [InlineData("/log/proof/inclusion?index=0&size=99", "size")]
    [InlineData("/log/proof/consistency?from=4&to=2", "from")]
    [InlineData("/log/entries?start=-1", "start")]
    [InlineData("/log/entries?start=0&count=100000", "count")]
    [InlineData("/log/tile/0/not-a-tile", "path")]
    public async Task Bad_log_queries_are_400_problems_naming_the_parameter(string path, string field)
    {
        await IssueAsync(3);

        var response = await _service.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"field\":\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tiles_are_served_in_the_c2sp_layout()
    {
        await IssueAsync(3);
        var http = _service.CreateClient();
        var entries = (await _service.Anonymous().GetLogEntriesAsync(0, 3)).Entries;

        var tile = await http.GetByteArrayAsync("/log/tile/0/000.p/3");

        Assert.Equal(entries.SelectMany(e => MerkleHash.LeafHash(Convert.FromBase64String(e.Data))).ToArray(), tile);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/log/tile/0/000.p/4")).StatusCode);
    }

    [Fact]
    public async Task Audit_passes_on_an_honest_log_and_fails_loudly_when_a_stored_entry_is_rewritten()
    {
        var credentials = await IssueAsync(5);
        var auditor = new LogAuditor(_service.Anonymous());
        var key = await _service.Anonymous().GetLogVerifierKeyAsync();
        var first = await auditor.AuditAsync(null, key, [CredentialToCheck.From(credentials[2])]);
        Assert.True(first.Ok, string.Join("\n", first.Findings));

        var more = await IssueAsync(4, start: 5);
        var second = await auditor.AuditAsync(first.State, key, [CredentialToCheck.From(more[0])]);
        Assert.True(second.Ok, string.Join("\n", second.Findings));

        await IssueAsync(2, start: 9);
        await using (var connection = new SqliteConnection($"Data Source={_service.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var tamper = connection.CreateCommand();
            tamper.CommandText = "UPDATE log_entries SET data = CAST('{\"type\":\"issuance\",\"forged\":true}' AS BLOB) WHERE idx = 10";
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        var third = await auditor.AuditAsync(second.State, key, []);
        Assert.False(third.Ok);
        Assert.Contains(third.Findings, f => f.StartsWith("FAILED", StringComparison.Ordinal) && f.Contains("altered"));
        Assert.Null(third.State);
    }

    [Fact]
    public async Task Audit_detects_a_log_that_shrank()
    {
        await IssueAsync(3);
        var auditor = new LogAuditor(_service.Anonymous());
        var key = await _service.Anonymous().GetLogVerifierKeyAsync();
        var honest = await auditor.AuditAsync(null, key, []);
        var inflated = honest.State! with { Size = honest.State.Size + 5 };

        var report = await auditor.AuditAsync(inflated, key, [], checkEntries: false);

        Assert.False(report.Ok);
        Assert.Contains(report.Findings, f => f.Contains("shrank"));
    }

    private async Task<List<Credential>> IssueAsync(int count, int start = 0)
    {
        var gate = await GateAsync();
        using var user = ClientCredentials.GenerateEs256("u");
        var issued = new List<Credential>();
        for (var i = start; i < start + count; i++)
        {
            issued.Add(await gate.IssueCredentialAsync($"tel:+1555000{i:D4}", $"mimi://gate.test/u/user{i}", user.SubjectPublicKeyInfo, attested: true));
        }

        return issued;
    }

    private MimiDiscoveryClient? _gate;

    private async Task<MimiDiscoveryClient> GateAsync() => _gate ??= (await _service.EnrolAsync("gate.test", trusted: true)).Client;
}
