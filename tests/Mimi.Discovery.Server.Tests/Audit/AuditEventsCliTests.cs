using System.Text.Json;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Audit;

/// <summary><c>mimi audit-events</c> as an operator and a provider run it: a table, JSON, every page, a refused filter.</summary>
public sealed class AuditEventsCliTests : IDisposable
{
    private readonly CliSession _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task The_trail_prints_as_a_table_and_as_json_following_the_pages_with_all()
    {
        await _cli.MimiAsync("keys generate --out beta.key");
        await _cli.MimiAsync($"provider enrol --domain beta.test --contact ops@beta.test --jwk beta.key.pub.jwk {_cli.OperatorOptions}");
        await _cli.MimiAsync($"provider suspend beta.test {_cli.OperatorOptions}");
        await _cli.MimiAsync($"provider reinstate beta.test {_cli.OperatorOptions}");

        var table = Lines(await _cli.MimiAsync($"audit-events {_cli.OperatorOptions}"));
        var suspended = Assert.Single(table, l => l.Contains("provider.suspend", StringComparison.Ordinal));
        Assert.Contains("operator (operator)", suspended, StringComparison.Ordinal);
        Assert.Contains("provider:beta.test", suspended, StringComparison.Ordinal);
        Assert.Contains("status: active → suspended", suspended, StringComparison.Ordinal);
        Assert.Contains(table, l => l.Contains("provider.enrol", StringComparison.Ordinal) && l.Contains("+ status=active trust=standard keys=", StringComparison.Ordinal));
        Assert.True(table.FindIndex(l => l.Contains("provider.reinstate", StringComparison.Ordinal)) < table.FindIndex(l => l.Contains("provider.suspend", StringComparison.Ordinal)));
        Assert.Contains("3 event(s)", table[^1], StringComparison.Ordinal);

        var onePage = await _cli.MimiAsync($"audit-events --limit 1 --json {_cli.OperatorOptions}");
        var page = JsonDocument.Parse(onePage).RootElement;
        var only = Assert.Single(page.GetProperty("events").EnumerateArray());
        Assert.Equal("provider.reinstate", only.GetProperty("action").GetString());
        Assert.Equal("suspended", only.GetProperty("before").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, page.GetProperty("next").ValueKind);

        var all = JsonDocument.Parse(await _cli.MimiAsync($"audit-events --limit 1 --all --json {_cli.OperatorOptions}")).RootElement;
        Assert.Equal(["provider.reinstate", "provider.suspend", "provider.enrol"],
            all.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next").ValueKind);

        // The provider reads its own, through the same verb, filtered.
        var own = JsonDocument.Parse(await _cli.MimiAsync($"audit-events --action provider.suspend --since 2000-01-01T00:00:00Z --json --client-id beta.test --key {_cli.Work}/beta.key")).RootElement;
        Assert.Equal("provider:beta.test", Assert.Single(own.GetProperty("events").EnumerateArray()).GetProperty("target").GetString());

        var refused = await _cli.MimiAsync($"audit-events --action provider.explode {_cli.OperatorOptions}", expectedExitCode: 1);
        Assert.Contains("action must be one of", refused, StringComparison.Ordinal);
        var badTime = await _cli.MimiAsync($"audit-events --since someday {_cli.OperatorOptions}", expectedExitCode: 1);
        Assert.Contains("--since", badTime, StringComparison.Ordinal);
    }

    private static List<string> Lines(string output) => [.. output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0)];
}
