using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Server.Tests.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log.Witnessing;

/// <summary>
/// A witness that hangs, then refuses connections, then comes back, on PostgreSQL: issuance never waits for it, the
/// outage is logged once as a Warning and the recovery once as Information, and the checkpoint is cosigned after.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WitnessOutageTests(PostgresServer postgres) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mimi-witness-outage-").FullName;
    private readonly Cosigner _witnessKey = Cosigner.Generate("witness.example/w1");
    private readonly int _witnessPort = LoopbackPorts.FreeTcpPort();
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task With_the_witness_down_issuance_succeeds_at_once_and_the_checkpoint_is_cosigned_once_it_is_back()
    {
        SecretFiles.Write(Path.Combine(_work, "w.key"), _witnessKey.SignerKey + "\n");
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
        var service = Own(new ServiceFactory(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Log:Witnesses:Quorum"] = "1",
            ["Log:Witnesses:List:0:VerifierKey"] = _witnessKey.VerifierKey,
            ["Log:Witnesses:List:0:Url"] = $"http://127.0.0.1:{_witnessPort}",
            ["Log:Witnesses:Timeout"] = "00:01:00",
            ["Log:Witnesses:MinRetryInterval"] = "00:00:00.200",
            ["Log:Witnesses:MaxRetryInterval"] = "00:00:01",
            ["Log:Witnesses:Interval"] = "00:00:01",
        }));
        var logs = CapturedLogs.Attach(service);
        var (gate, _) = await service.EnrolAsync("gate.test", trusted: true);
        var logKey = await service.Anonymous().GetLogVerifierKeyAsync();
        var trust = new CheckpointTrust(NoteVerifier.Parse(logKey), [_witnessKey.Verifier], 1);

        var clock = Stopwatch.StartNew();
        await LogWitnessingTests.IssueAsync(gate, 3);
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
        await LogWitnessingTests.IssueAsync(gate, 1, from: 3);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, logs.Count(7440));
        Assert.Equal(0, logs.Count(7441));

        var witness = Own(ServiceProcess.StartCli(_work,
            ["witness", "serve", "--key", "w.key", "--state", "state.json", "--log", $"localhost/test-log={logKey}", "--listen", $"http://127.0.0.1:{_witnessPort}"],
            $"http://127.0.0.1:{_witnessPort}"));
        await witness.WaitUntilAnsweringAsync(new Uri(witness.Url), "/");

        var cosigned = await LogWitnessingTests.CosignedAsync(service.Anonymous(), trust, size: 4);
        Assert.Equal("witness.example/w1", Assert.Single(cosigned.Cosignatures).Name);
        await Loopback.WaitUntilAsync(() => Task.FromResult(logs.Count(7441) == 1), TimeSpan.FromSeconds(10), () => string.Join("\n", logs.Lines));
        Assert.Equal(1, logs.Count(7440));
        var warning = Assert.Single(logs.Lines, l => l.EventId == 7440);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("witness.example/w1", warning.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Information, Assert.Single(logs.Lines, l => l.EventId == 7441).Level);
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
