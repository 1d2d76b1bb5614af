using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Cli;

/// <summary><c>mimi audit</c> as an auditor runs it: re-checks of old entries, and what the log says of a credential's revocation.</summary>
public sealed partial class AuditCliTests : IDisposable
{
    private readonly CliSession _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Regression_incremental_audit_from_a_saved_state_fails_naming_an_old_entry_altered_in_storage()
    {
        var (gate, _) = await _cli.Service.EnrolAsync("gate.test", trusted: true);
        await IssueAsync(gate, 0, 4);
        Assert.Contains("audit passed", await _cli.MimiAsync("audit --state audit.json"));
        await IssueAsync(gate, 4, 2);
        await using (var connection = new SqliteConnection($"Data Source={_cli.Service.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var tamper = connection.CreateCommand();
            tamper.CommandText = "UPDATE log_entries SET data = CAST('{\"type\":\"issuance\",\"rewritten\":true}' AS BLOB) WHERE idx = 1";
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        var state = await File.ReadAllTextAsync(Path.Combine(_cli.Work, "audit.json"));
        // Only entries 4 and 5 are new; entry 1 was audited before, so only the re-check of old entries can find it.
        var failed = Flat(await _cli.MimiAsync("audit --state audit.json", expectedExitCode: 1));

        Assert.Contains("FAILED: Entry 1 ", failed, StringComparison.Ordinal);
        Assert.Contains("log-integrity", failed, StringComparison.Ordinal);
        Assert.Equal(state, await File.ReadAllTextAsync(Path.Combine(_cli.Work, "audit.json")));
    }

    [Fact]
    public async Task Regression_audit_of_a_revoked_credential_says_where_and_when_and_require_live_exits_1()
    {
        var beta = $"--client-id beta.test --key {_cli.Work}/beta.key";
        await _cli.MimiAsync("keys generate --out beta.key");
        await _cli.MimiAsync($"provider enrol --domain beta.test --contact ops@beta.test --jwk beta.key.pub.jwk --trusted {_cli.OperatorOptions}");
        await _cli.MimiAsync("keys generate --out bob.key --alg ed25519");
        await _cli.MimiAsync($"issue --sii tel:+15550001111 --ssi mimi://beta.test/u/bob --public-key bob.key.pub --attest --out bob.json {beta}");
        await _cli.MimiAsync($"issue --sii tel:+15550002222 --ssi mimi://beta.test/u/ann --public-key bob.key.pub --attest {beta}");
        // The provider audits: a format-2 revocation is found by opening the entries under the credential's index.
        var live = Flat(await _cli.MimiAsync($"audit --state audit.json --credential bob.json --require-live {beta}"));
        Assert.Contains("No revocation of the credential at log index 0", live, StringComparison.Ordinal);

        var serial = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_cli.Work, "bob.json"))).RootElement.GetProperty("serial").GetString();
        await _cli.MimiAsync($"revoke {serial} --reason keyCompromise {beta}");
        var revoked = Flat(await _cli.MimiAsync($"audit --state audit.json --credential bob.json {beta}"));
        var required = Flat(await _cli.MimiAsync($"audit --state audit.json --credential bob.json --require-live {beta}", expectedExitCode: 1));

        Assert.Contains($"REVOKED: the credential at log index 0 (serial {serial}) was revoked by log entry 2 at ", revoked, StringComparison.Ordinal);
        Assert.Contains("(reason keyCompromise)", revoked, StringComparison.Ordinal);
        Assert.Matches(@"at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", revoked);
        Assert.Contains("not live: log index 0", revoked, StringComparison.Ordinal);
        Assert.Contains("--require-live: log index 0", required, StringComparison.Ordinal);
        Assert.Contains("revoked (log entry 2)", required, StringComparison.Ordinal);
    }

    private static async Task IssueAsync(MimiDiscoveryClient gate, int from, int count)
    {
        using var user = ClientCredentials.GenerateEs256("u");
        for (var i = from; i < from + count; i++)
        {
            await gate.IssueCredentialAsync($"tel:+1555044{i:D4}", $"mimi://gate.test/u/a{i}", user.SubjectPublicKeyInfo, attested: true);
        }
    }

    /// <summary>Output with line breaks folded into spaces (a console may wrap long lines).</summary>
    internal static string Flat(string output) => WhiteSpace().Replace(output, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
