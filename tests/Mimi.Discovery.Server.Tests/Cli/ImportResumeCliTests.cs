using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Authority;

namespace Mimi.Discovery.Server.Tests.Cli;

/// <summary>
/// <c>mimi import</c> when the service dies under it: the service is a process of its own, killed with SIGKILL half
/// way through; the CLI says what is committed and how to resume, and the resumed import logs every line exactly once.
/// </summary>
public sealed partial class ImportResumeCliTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private const int Lines = 12_000;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "mimi-test-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _work = Directory.CreateTempSubdirectory("mimi-cli-").FullName;
    private readonly int _port = LoopbackPorts.FreeTcpPort();
    private readonly Dictionary<string, string> _settings = new() { ["Import:BatchSize"] = "100" };

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task Regression_import_killed_half_way_names_what_is_committed_and_resumes_without_logging_a_line_twice()
    {
        string importId;
        long reported;
        using (var first = await ServiceProcess.StartAsync(_data, _port, _settings))
        {
            await PrepareAsync(first.Url);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var import = Mimi($"import rows.ndjson --client-id gate.test --key gate.key --server {first.Url}");

            // Kill the service once batches have committed and the CLI has had time to hear about them.
            await Loopback.WaitUntilAsync(async () => import.IsCompleted || await TreeSizeAsync(first.Url) >= 1_000, TimeSpan.FromSeconds(60),
                () => "no batch committed");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(import.IsCompleted, "the import finished before the service was killed; give it more lines");
            log.WriteLine($"killed at {await TreeSizeAsync(first.Url)} entries, {clock.Elapsed.TotalSeconds:0.0} s into the import");
            first.Kill();

            var (code, output) = await import;
            Assert.True(code == 1, $"mimi import exited {code}:\n{output}");
            Assert.Contains("the import stopped", output, StringComparison.Ordinal);
            var committed = CommittedPattern().Match(output);
            Assert.True(committed.Success, output);
            reported = long.Parse(committed.Groups["imported"].Value, CultureInfo.InvariantCulture);
            Assert.True(reported > 0, output);
            Assert.Contains("(log entries 0–", output, StringComparison.Ordinal);
            importId = ResumePattern().Match(output) is { Success: true } resume ? resume.Groups["id"].Value : throw new Xunit.Sdk.XunitException(output);
        }

        using var second = await ServiceProcess.StartAsync(_data, _port, _settings);
        var gate = new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(second.Url) }, ClientCredentials.Load("gate.test", Path.Combine(_work, "gate.key")));
        var truth = await gate.GetImportProgressAsync(importId);
        // The service may have committed a batch the CLI never heard of; never less than the CLI said.
        Assert.True(truth!.Imported >= reported && truth.Imported < Lines, $"service: {truth}, CLI: {reported}");

        var resumeClock = System.Diagnostics.Stopwatch.StartNew();
        var (resumedCode, resumed) = await Mimi($"import rows.ndjson --resume {importId} --client-id gate.test --key gate.key --server {second.Url}");

        log.WriteLine($"resumed {Lines - truth.Imported} rows in {resumeClock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(resumedCode == 0, resumed);
        Assert.Contains($"resuming import {importId}: lines 1–{truth.ThroughLine} are committed", resumed, StringComparison.Ordinal);
        Assert.Contains($"imported {Lines - truth.Imported}, rejected 0", resumed, StringComparison.Ordinal);
        Assert.Contains($"{Lines} imported and logged", resumed, StringComparison.Ordinal);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "mimi-discovery.db")}");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT COUNT(*), COUNT(DISTINCT sii), (SELECT size FROM log_head) FROM credentials";
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((Lines, Lines, Lines), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    private async Task PrepareAsync(string url)
    {
        var operatorKey = ClientCredentials.Load("operator", Path.Combine(_data, "keys", "operator.key"));
        using var gate = ClientCredentials.GenerateEs256("gate.test");
        gate.Save(Path.Combine(_work, "gate.key"));
        await new MimiDiscoveryClient(new HttpClient { BaseAddress = new Uri(url) }, operatorKey)
            .EnrolProviderAsync("gate.test", "ops@gate.test", [gate.PublicJwk], trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);
        await File.WriteAllLinesAsync(Path.Combine(_work, "rows.ndjson"),
            Enumerable.Range(0, Lines).Select(i => ImportTests.Row($"tel:+1555{i:D7}", $"mimi://gate.test/u/k{i}", key)));
    }

    private static async Task<long> TreeSizeAsync(string url)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        return long.Parse((await http.GetStringAsync("/log/checkpoint")).Split('\n')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Runs the CLI; its output with line breaks folded into spaces (a console may wrap long lines).</summary>
    private async Task<(int ExitCode, string Output)> Mimi(string arguments)
    {
        // Imports of thousands of rows on a loaded machine: more time than the usual minute.
        var (code, output) = await Tools.RunAsync("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "mimi.dll")} {arguments}", _work, TimeSpan.FromMinutes(4));
        return (code, WhiteSpace().Replace(output, " "));
    }

    [GeneratedRegex(@"lines 1–\d+ are committed: (?<imported>\d+) imported and logged")]
    private static partial Regex CommittedPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"--resume (?<id>[0-9a-f]+)")]
    private static partial Regex ResumePattern();
}
