using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Tests.Cli;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Server.Tests.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log.Witnessing;

/// <summary>
/// The log with a real witness (<c>mimi witness serve</c>, a process of its own) in <c>Log:Witnesses</c>: checkpoints
/// get cosigned after issuance, <c>/log/checkpoint</c> serves the cosigned one, a witness that is down delays cosigning
/// and never issuance (the outage logged once, the recovery once), and the auditor refuses a checkpoint short of its
/// quorum. SQLite for the CLI sessions, PostgreSQL for the outage.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LogWitnessingTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("mimi-witnessing-").FullName;
    private readonly Cosigner _witnessKey = Cosigner.Generate("witness.example/w1");
    private readonly int _witnessPort = LoopbackPorts.FreeTcpPort();
    private readonly List<IDisposable> _owned = [];
    private readonly PostgresServer _postgres;

    public LogWitnessingTests(PostgresServer postgres)
    {
        _postgres = postgres;
        SecretFiles.Write(Path.Combine(_work, "w.key"), _witnessKey.SignerKey + "\n");
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task After_an_issuance_the_checkpoint_soon_carries_the_cosignature_audit_with_quorum_1_passes_and_quorum_2_fails_naming_it()
    {
        var cli = Own(new CliSession(Settings()));
        var logKey = await cli.Service.Anonymous().GetLogVerifierKeyAsync();
        await StartWitnessAsync(logKey);
        var (gate, _) = await cli.Service.EnrolAsync("gate.test", trusted: true);

        await IssueAsync(gate, 2);

        var trust = new CheckpointTrust(NoteVerifier.Parse(logKey), [_witnessKey.Verifier], 1);
        var cosigned = await CosignedAsync(cli.Service.Anonymous(), trust, size: 2);
        Assert.Equal("witness.example/w1", Assert.Single(cosigned.Cosignatures).Name);
        var audit = AuditCliTests.Flat(await cli.MimiAsync($"audit --state audit.json --verifier-key {logKey} --witness-key {_witnessKey.VerifierKey} --quorum 1"));
        Assert.Contains("Witness quorum met: 1 of 1 configured witnesses cosigned (quorum 1): witness.example/w1.", audit, StringComparison.Ordinal);
        Assert.Contains("audit passed", audit, StringComparison.Ordinal);
        var state = await File.ReadAllTextAsync(Path.Combine(cli.Work, "audit.json"));

        // A second witness nobody runs: the checkpoint carries 1 of the 2 cosignatures asked for.
        var silent = Cosigner.Generate("witness.example/w2").VerifierKey;
        var failed = AuditCliTests.Flat(await cli.MimiAsync(
            $"audit --state audit.json --verifier-key {logKey} --witness-key {_witnessKey.VerifierKey} --witness-key {silent} --quorum 2", expectedExitCode: 1));
        var unwitnessed = AuditCliTests.Flat(await cli.MimiAsync($"audit --state audit.json --verifier-key {logKey} --witness-key {silent}", expectedExitCode: 1));

        Assert.Contains("FAILED: Witness quorum not met: 1 of the 2 required cosignatures (from 2 configured witnesses)", failed, StringComparison.Ordinal);
        Assert.Contains("cosigned by: witness.example/w1", failed, StringComparison.Ordinal);
        Assert.Contains("FAILED: Witness quorum not met: 0 of the 1 required", unwitnessed, StringComparison.Ordinal);
        Assert.Equal(state, await File.ReadAllTextAsync(Path.Combine(cli.Work, "audit.json")));
    }

    [Fact]
    public async Task With_the_witness_down_issuance_succeeds_at_once_and_the_checkpoint_is_cosigned_once_it_is_back()
    {
        // A witness that accepts connections and never answers: a request to it waits for the whole timeout.
        var hanging = new TcpListener(IPAddress.Loopback, _witnessPort);
        hanging.Start();
        var held = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Add(await hanging.AcceptSocketAsync());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
        var settings = Settings();
        settings["Log:Witnesses:Timeout"] = "00:01:00";
        var service = Own(new ServiceFactory(await _postgres.CreateDatabaseAsync(), settings));
        var logs = CapturedLogs.Attach(service);
        var (gate, _) = await service.EnrolAsync("gate.test", trusted: true);
        var logKey = await service.Anonymous().GetLogVerifierKeyAsync();
        var trust = new CheckpointTrust(NoteVerifier.Parse(logKey), [_witnessKey.Verifier], 1);

        var clock = Stopwatch.StartNew();
        await IssueAsync(gate, 3);
        clock.Stop();
        await Loopback.WaitUntilAsync(() => Task.FromResult(held.Count > 0), TimeSpan.FromSeconds(30), () => "the log never called its witness");

        // Three issuances while the cosigner waits on a one-minute timeout: they did not wait for it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"issuance took {clock.Elapsed} with the witness hanging");
        var unwitnessed = trust.Verify(await service.Anonymous().GetCheckpointAsync());
        Assert.Equal(CheckpointTrustStatus.Quorum, unwitnessed.Status);
        Assert.Equal(3, unwitnessed.Checkpoint!.Size);

        // Now it is down: connections are refused; the cosigner retries with back-off, warning once.
        hanging.Stop();
        foreach (var socket in held)
        {
            socket.Dispose();
        }

        await accepting;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await IssueAsync(gate, 1, from: 3);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, logs.Count(7440));
        Assert.Equal(0, logs.Count(7441));

        await StartWitnessAsync(logKey);

        var cosigned = await CosignedAsync(service.Anonymous(), trust, size: 4);
        Assert.Equal("witness.example/w1", Assert.Single(cosigned.Cosignatures).Name);
        await Loopback.WaitUntilAsync(() => Task.FromResult(logs.Count(7441) == 1), TimeSpan.FromSeconds(10), () => string.Join("\n", logs.Lines));
        Assert.Equal(1, logs.Count(7440));
        var warning = Assert.Single(logs.Lines, l => l.EventId == 7440);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("witness.example/w1", warning.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Information, Assert.Single(logs.Lines, l => l.EventId == 7441).Level);
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

    private Dictionary<string, string?> Settings() => new()
    {
        ["Log:Witnesses:Quorum"] = "1",
        ["Log:Witnesses:List:0:VerifierKey"] = _witnessKey.VerifierKey,
        ["Log:Witnesses:List:0:Url"] = $"http://127.0.0.1:{_witnessPort}",
        ["Log:Witnesses:Timeout"] = "00:00:10",
        ["Log:Witnesses:MinRetryInterval"] = "00:00:00.200",
        ["Log:Witnesses:MaxRetryInterval"] = "00:00:01",
        ["Log:Witnesses:Interval"] = "00:00:01",
    };

    private async Task StartWitnessAsync(string logKey)
    {
        var url = $"http://127.0.0.1:{_witnessPort}";
        var witness = Own(ServiceProcess.StartCli(_work,
            ["witness", "serve", "--key", "w.key", "--state", "state.json", "--log", $"localhost/test-log={logKey}", "--listen", url], url));
        await witness.WaitUntilAnsweringAsync(new Uri(url), "/");
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Waits until <c>/log/checkpoint</c> serves a checkpoint of <paramref name="size"/> that <paramref name="trust"/> accepts.</summary>
    private static async Task<CheckpointVerification> CosignedAsync(MimiDiscoveryClient log, CheckpointTrust trust, long size)
    {
        CheckpointVerification? last = null;
        await Loopback.WaitUntilAsync(async () =>
        {
            last = trust.Verify(await log.GetCheckpointAsync());
            return last.IsTrusted && last.Checkpoint!.Size == size;
        }, Soon, () => $"the checkpoint was not cosigned at size {size}: {last?.Reason}");
        return last!;
    }

    private static async Task IssueAsync(MimiDiscoveryClient gate, int count, int from = 0)
    {
        using var user = ClientCredentials.GenerateEs256("u");
        for (var i = from; i < from + count; i++)
        {
            await gate.IssueCredentialAsync($"tel:+1555033{i:D4}", $"mimi://gate.test/u/w{i}", user.SubjectPublicKeyInfo, attested: true);
        }
    }
}
