using System.Text.Json;
using System.Text.RegularExpressions;
using Mimi.Discovery.Cli;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;
using Spectre.Console;

namespace Mimi.Discovery.Server.Tests.Cli;

/// <summary>What the <c>mimi</c> tool prints when its output goes to a file or a pipe, as scripts and copy-paste see it.</summary>
public sealed partial class CliOutputTests : IDisposable
{
    private readonly CliSession _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Regression_redirected_output_wrapped_serials_dates_and_key_ids_at_80_columns()
    {
        await _cli.MimiAsync("keys generate --out beta.key");
        using var beta = ClientCredentials.Load("beta.test", Path.Combine(_cli.Work, "beta.key"));
        await _cli.MimiAsync("keys generate --out bob.key");

        var enrol = Lines(await _cli.MimiAsync(
            $"provider enrol --domain beta.test --contact operations-and-abuse-desk@beta.test --jwk beta.key.pub.jwk --trusted {_cli.OperatorOptions}"));
        var issue = Lines(await _cli.MimiAsync(
            $"issue --sii tel:+15550001111 --ssi mimi://beta.test/u/bob --public-key bob.key.pub --attest --out bob.json --client-id beta.test --key {_cli.Work}/beta.key"));

        // A table row wider than 80 columns keeps the whole key id and contact on one line.
        Assert.Contains(enrol, line => line.Contains("beta.test", StringComparison.Ordinal) && line.Contains(beta.KeyId, StringComparison.Ordinal)
                                       && line.Contains("operations-and-abuse-desk@beta.test", StringComparison.Ordinal));
        var serial = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_cli.Work, "bob.json"))).RootElement.GetProperty("serial").GetString();
        Assert.Contains(issue, line => IssuedLine().IsMatch(line) && line.Contains(serial!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Regression_json_the_cli_writes_escaped_plus_as_u002B()
    {
        await _cli.MimiAsync("keys generate --out beta.key");
        await _cli.MimiAsync("keys generate --out bob.key");
        await _cli.MimiAsync($"provider enrol --domain beta.test --contact ops@beta.test --jwk beta.key.pub.jwk --trusted {_cli.OperatorOptions}");
        var beta = $"--client-id beta.test --key {_cli.Work}/beta.key";
        await _cli.MimiAsync($"issue --sii tel:+15550001111 --ssi mimi://beta.test/u/bob --public-key bob.key.pub --attest --out bob.json {beta}");

        var credential = await File.ReadAllTextAsync(Path.Combine(_cli.Work, "bob.json"));
        var lookup = await _cli.MimiAsync($"lookup tel:+15550001111 --json {beta}");

        foreach (var json in new[] { credential, lookup })
        {
            Assert.Contains("\"sii\": \"tel:+15550001111\"", json, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u002B", json, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void On_a_terminal_COLUMNS_sets_the_width_and_redirected_output_never_wraps()
    {
        var terminal = AnsiConsole.Create(Plain(new StringWriter()));
        ConsoleWidth.Apply(terminal, outputRedirected: false, columns: "132");
        Assert.Equal(132, terminal.Profile.Width);

        var written = new StringWriter();
        var redirected = AnsiConsole.Create(Plain(written));
        ConsoleWidth.Apply(redirected, outputRedirected: true, columns: "40");
        var serial = new string('a', 300);
        redirected.MarkupLineInterpolated($"[green]issued[/] serial {serial}, log index 1");
        Assert.Equal($"issued serial {serial}, log index 1", written.ToString().TrimEnd('\n', '\r'));
    }

    private static AnsiConsoleSettings Plain(TextWriter writer) =>
        new() { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors };

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^issued serial [0-9a-f]+, log index 0, valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$")]
    private static partial Regex IssuedLine();
}
