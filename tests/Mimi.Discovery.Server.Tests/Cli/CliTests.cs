using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Cli;

/// <summary>The <c>mimi</c> tool as a user runs it: a separate process against the service listening on a real port.</summary>
public sealed class CliTests : IDisposable
{
    private readonly CliSession _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Operator_enrols_a_provider_that_issues_and_revokes_and_the_audit_catches_a_rewritten_entry()
    {
        var operatorKey = $"--client-id operator --key {_cli.Service.KeyDirectory}/operator.key";
        var beta = $"--client-id beta.test --key {_cli.Work}/beta.key";

        await _cli.MimiAsync("keys generate --out beta.key");
        var enrol = await _cli.MimiAsync($"provider enrol --domain beta.test --contact ops@beta.test --jwk beta.key.pub.jwk --trusted {operatorKey}");
        Assert.Contains("beta.test", enrol);
        await _cli.MimiAsync("keys generate --out bob.key --alg ed25519");
        var issue = await _cli.MimiAsync($"issue --sii tel:+15550001111 --ssi mimi://beta.test/u/bob --public-key bob.key.pub --attest --tag mobile --out bob.json {beta}");
        Assert.Contains("log index 0", issue);
        Assert.Contains("BEGIN CERTIFICATE", issue);

        var audit = await _cli.MimiAsync("audit --state audit.json --credential bob.json");
        Assert.Contains("audit passed", audit);
        Assert.True(File.Exists(Path.Combine(_cli.Work, "audit.json")));

        await _cli.MimiAsync($"issue --sii tel:+15550002222 --ssi mimi://beta.test/u/ann --public-key bob.key.pub --attest {beta}");
        await using (var connection = new SqliteConnection($"Data Source={_cli.Service.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var tamper = connection.CreateCommand();
            tamper.CommandText = "UPDATE log_entries SET data = CAST('{\"type\":\"issuance\",\"rewritten\":true}' AS BLOB) WHERE idx = 1";
            await tamper.ExecuteNonQueryAsync();
        }

        var stateBefore = await File.ReadAllTextAsync(Path.Combine(_cli.Work, "audit.json"));
        var failed = await _cli.MimiAsync("audit --state audit.json", expectedExitCode: 1);
        Assert.Contains("FAILED", failed);
        Assert.Equal(stateBefore, await File.ReadAllTextAsync(Path.Combine(_cli.Work, "audit.json")));

        var serial = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_cli.Work, "bob.json"))).RootElement.GetProperty("serial").GetString();
        // As openssl x509 -serial prints it; a serial that is not hex is refused before any request.
        Assert.Contains("serial 'bob'", await _cli.MimiAsync($"revoke bob {beta}", expectedExitCode: 1));
        var revoke = await _cli.MimiAsync($"revoke {serial!.ToUpperInvariant()} --reason keyCompromise {beta}");
        Assert.Contains("revoked " + serial, revoke);
    }

    [Fact]
    public async Task Errors_are_one_red_line_and_exit_code_1()
    {
        await _cli.MimiAsync("keys generate --out stranger.key");

        var output = await _cli.MimiAsync($"provider list --client-id nobody.test --key {_cli.Work}/stranger.key", expectedExitCode: 1);

        Assert.Contains("error:", output);
        Assert.Contains("HTTP 401", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Resolve_prints_the_srv_choice_and_the_directory_from_a_real_dns_server()
    {
        using var directory = WireMock.Server.WireMockServer.Start();
        var port = directory.Port;
        directory.Given(WireMock.RequestBuilders.Request.Create().WithPath("/.well-known/mimi-protocol-directory").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"keyMaterial": "http://mimi.beta.test:{{port}}/v1/keyMaterial/{targetUser}"}"""));
        var dnsPort = LoopbackPorts.FreeTcpPort();
        using var dns = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/sbin/dnsmasq",
            $"--no-daemon --no-resolv --no-hosts --port={dnsPort} --listen-address=127.0.0.1 --bind-interfaces " +
            $"--srv-host=_mimi._tcp.beta.test,mimi.beta.test,{port},10,5 --host-record=mimi.beta.test,127.0.0.1")
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        try
        {
            await Task.Delay(300);
            var output = await _cli.MimiAsync($"resolve beta.test --dns 127.0.0.1:{dnsPort} --allow 127.0.0.0/8 --http");

            Assert.Contains("mimi.beta.test", output);
            Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), output);
            Assert.Contains("keyMaterial", output);
            var refused = await _cli.MimiAsync($"resolve beta.test --dns 127.0.0.1:{dnsPort} --http", expectedExitCode: 1);
            Assert.Contains("127.0.0.1", refused);
        }
        finally
        {
            dns.Kill();
        }
    }
}
