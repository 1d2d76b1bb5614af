using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Authority;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Cli;

/// <summary><c>mimi import</c> as a provider runs it: a separate process streaming a file to the service on a real port.</summary>
public sealed class ImportCliTests : IDisposable
{
    private readonly CliSession _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Import_of_a_file_issues_the_good_lines_and_names_the_bad_ones_with_exit_code_1()
    {
        var operatorKey = $"--client-id operator --key {_cli.Service.KeyDirectory}/operator.key";
        var gate = $"--client-id gate.test --key {_cli.Work}/gate.key";
        await _cli.MimiAsync("keys generate --out gate.key");
        await _cli.MimiAsync($"provider enrol --domain gate.test --contact ops@gate.test --jwk gate.key.pub.jwk --trusted {operatorKey}");
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);
        await File.WriteAllLinesAsync(Path.Combine(_cli.Work, "rows.ndjson"),
        [
            ImportTests.Row("tel:+15550500001", "mimi://gate.test/u/u1", key),
            ImportTests.Row("tel:+15550500002", "mimi://elsewhere.test/u/u2", key),
            ImportTests.Row("tel:+15550500003", "mimi://gate.test/u/u3", key, "mobile"),
            "{not json",
        ]);

        var output = await _cli.MimiAsync($"import rows.ndjson {gate}", expectedExitCode: 1);

        Assert.Contains("imported 2, rejected 2", output);
        Assert.Contains("line 2: ssi ssi.foreign-domain", output);
        Assert.Contains("line 4: json json.malformed", output);
        var audit = await _cli.MimiAsync("audit --state audit.json");
        Assert.Contains("audit passed", audit);
        var valid = ImportTests.Row("tel:+15550500005", "mimi://gate.test/u/u5", key);
        await File.WriteAllTextAsync(Path.Combine(_cli.Work, "good.ndjson"), valid + "\n");
        Assert.Contains("imported 1, rejected 0, log indices 2–2", await _cli.MimiAsync($"import good.ndjson {gate}"));
    }
}
