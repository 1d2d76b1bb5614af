using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log.Witnessing;

/// <summary>
/// The log with a real witness (<c>mimi witness serve</c>, a process of its own) in <c>Log:Witnesses</c>: checkpoints
/// get cosigned after issuance, <c>/log/checkpoint</c> serves the cosigned one, a witness that is down delays cosigning
/// and never issuance, and the auditor refuses a checkpoint short of its quorum.
/// </summary>
public sealed partial class LogWitnessingTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("mimi-witnessing-").FullName;
    private readonly Cosigner _witnessKey = Cosigner.Generate("witness.example/w1");
    private readonly int _witnessPort = LoopbackPorts.FreeTcpPort();
    private readonly List<IDisposable> _owned = [];

    public LogWitnessingTests() => SecretFiles.Write(Path.Combine(_work, "w.key"), _witnessKey.SignerKey + "\n");

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task After_an_issuance_the_checkpoint_soon_carries_the_witness_cosignature_and_audit_with_quorum_1_passes()
    {
        var cli = Own(new CliSession(Settings()));
        var logKey = await cli.Service.Anonymous().GetLogVerifierKeyAsync();
        await StartWitnessAsync(logKey);
        var (gate, _) = await cli.Service.EnrolAsync("gate.test", trusted: true);

        await IssueAsync(gate, 2);

        var trust = new CheckpointTrust(NoteVerifier.Parse(logKey), [_witnessKey.Verifier], 1);
        var cosigned = await CosignedAsync(cli.Service.Anonymous(), trust, size: 2);
        Assert.Equal("witness.example/w1", Assert.Single(cosigned.Cosignatures).Name);
        var audit = Flat(await cli.MimiAsync($"audit --state audit.json --verifier-key {logKey} --witness-key {_witnessKey.VerifierKey} --quorum 1"));
        Assert.Contains("Witness quorum met: 1 of 1 configured witnesses cosigned (quorum 1): witness.example/w1.", audit, StringComparison.Ordinal);
        Assert.Contains("audit passed", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_fails_naming_the_quorum_when_a_second_witness_never_cosigned()
    {
        var cli = Own(new CliSession(Settings()));
        var logKey = await cli.Service.Anonymous().GetLogVerifierKeyAsync();
        await StartWitnessAsync(logKey);
        var (gate, _) = await cli.Service.EnrolAsync("gate.test", trusted: true);
        await IssueAsync(gate, 1);
        await CosignedAsync(cli.Service.Anonymous(), new CheckpointTrust(NoteVerifier.Parse(logKey), [_witnessKey.Verifier], 1), size: 1);
        var silent = Cosigner.Generate("witness.example/w2").VerifierKey;

        var failed = Flat(await cli.MimiAsync(
            $"audit --state audit.json --verifier-key {logKey} --witness-key {_witnessKey.VerifierKey} --witness-key {silent} --quorum 2", expectedExitCode: 1));
        var unwitnessed = Flat(await cli.MimiAsync($"audit --state audit.json --verifier-key {logKey} --witness-key {silent}", expectedExitCode: 1));

        Assert.Contains("FAILED: Witness quorum not met: 1 of the 2 required cosignatures (from 2 configured witnesses)", failed, StringComparison.Ordinal);
        Assert.Contains("cosigned by: witness.example/w1", failed, StringComparison.Ordinal);
        Assert.Contains("FAILED: Witness quorum not met: 0 of the 1 required", unwitnessed, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(cli.Work, "audit.json")));
    }

    [Fact]
    public async Task A_witness_setting_that_cannot_work_stops_start_up_naming_it()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = Path.Combine(_work, "data"),
            ["Urls"] = "http://127.0.0.1:0",
            ["Authority:Issuer"] = "http://127.0.0.1",
            ["Log:Witnesses:Quorum"] = "2",
            ["Log:Witnesses:List:0:VerifierKey"] = NoteSigner.Generate("not-a-witness").VerifierKey,
            ["Log:Witnesses:List:0:Url"] = "ftp://witness.example",
        });
        builder.AddMimiDiscovery();
        await using var app = builder.Build();
        app.UseMimiDiscovery();

        var error = string.Join(" ", (await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync())).Failures);

        Assert.Contains("Log:Witnesses:List:0:VerifierKey is not a cosignature/v1 verifier key", error, StringComparison.Ordinal);
        Assert.Contains("Log:Witnesses:List:0:Url must be an absolute http(s) URL", error, StringComparison.Ordinal);
        Assert.Contains("Log:Witnesses:Quorum (2) must not exceed", error, StringComparison.Ordinal);
    }

    internal Dictionary<string, string?> Settings() => new()
    {
        ["Log:Witnesses:Quorum"] = "1",
        ["Log:Witnesses:List:0:VerifierKey"] = _witnessKey.VerifierKey,
        ["Log:Witnesses:List:0:Url"] = $"http://127.0.0.1:{_witnessPort}",
        ["Log:Witnesses:Timeout"] = "00:00:10",
        ["Log:Witnesses:MinRetryInterval"] = "00:00:00.200",
        ["Log:Witnesses:MaxRetryInterval"] = "00:00:01",
        ["Log:Witnesses:Interval"] = "00:00:01",
    };

    internal async Task StartWitnessAsync(string logKey)
    {
        var url = $"http://127.0.0.1:{_witnessPort}";
        var witness = Own(ServiceProcess.StartCli(_work,
            ["witness", "serve", "--key", "w.key", "--state", "state.json", "--log", $"localhost/test-log={logKey}", "--listen", url], url));
        await witness.WaitUntilAnsweringAsync(new Uri(url), "/");
    }

    internal T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Waits until <c>/log/checkpoint</c> serves a checkpoint of <paramref name="size"/> that <paramref name="trust"/> accepts.</summary>
    internal static async Task<CheckpointVerification> CosignedAsync(MimiDiscoveryClient log, CheckpointTrust trust, long size)
    {
        CheckpointVerification? last = null;
        await Loopback.WaitUntilAsync(async () =>
        {
            last = trust.Verify(await log.GetCheckpointAsync());
            return last.IsTrusted && last.Checkpoint!.Size == size;
        }, Soon, () => $"the checkpoint was not cosigned at size {size}: {last?.Reason}");
        return last!;
    }

    internal static async Task IssueAsync(MimiDiscoveryClient gate, int count, int from = 0)
    {
        using var user = ClientCredentials.GenerateEs256("u");
        for (var i = from; i < from + count; i++)
        {
            await gate.IssueCredentialAsync($"tel:+1555033{i:D4}", $"mimi://gate.test/u/w{i}", user.SubjectPublicKeyInfo, attested: true);
        }
    }

    /// <summary>Output with line breaks folded into spaces (a console may wrap long lines).</summary>
    private static string Flat(string output) => WhiteSpace().Replace(output, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
