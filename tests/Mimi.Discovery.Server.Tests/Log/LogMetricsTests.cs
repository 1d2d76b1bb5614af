using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log;

/// <summary>
/// The log's gauges read its state: the size the checkpoint states, how long entries wait for a checkpoint, and with a
/// real witness (<c>mimi witness serve</c>) its cosignatures, their age and the quorum.
/// </summary>
public sealed class LogMetricsTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("mimi-log-metrics-").FullName;
    private readonly ClientCredentials _userKey = ClientCredentials.GenerateEs256("u");
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _userKey.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Without_witnesses_the_size_is_the_checkpoints_and_no_entry_waits_for_a_checkpoint()
    {
        var service = Own(new ServiceFactory(settings: new Dictionary<string, string?> { ["Metrics:SampleInterval"] = "00:00:00.100" }));
        using var recorder = new InstrumentRecorder(service.Services);
        var (gate, _) = await service.EnrolAsync("gate.test", trusted: true);
        await IssueAsync(gate, 3);
        var size = long.Parse((await service.Anonymous().GetCheckpointAsync()).Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);

        await Loopback.WaitUntilAsync(() => Task.FromResult(recorder.Observe("mimi.log.size") is [{ Value: var v }] && v == size), Soon,
            () => $"mimi.log.size never reached {size}");
        Assert.Equal(0, Assert.Single(recorder.Observe("mimi.log.checkpoint.age")).Value);
        Assert.Empty(recorder.Observe("mimi.log.witness.quorum"));
        Assert.Empty(recorder.Observe("mimi.log.witness.cosignature.age"));
    }

    [Fact]
    public async Task Entries_wait_without_quorum_until_a_real_witness_cosigns_and_then_the_gauges_say_so()
    {
        var witnessKey = Cosigner.Generate("witness.example/w1");
        SecretFiles.Write(Path.Combine(_work, "w.key"), witnessKey.SignerKey + "\n");
        var port = Mimi.Discovery.Sandbox.LoopbackPorts.FreeTcpPort();
        var service = Own(new ServiceFactory(settings: new Dictionary<string, string?>
        {
            ["Metrics:SampleInterval"] = "00:00:00.100",
            ["Log:Witnesses:Quorum"] = "1",
            ["Log:Witnesses:List:0:VerifierKey"] = witnessKey.VerifierKey,
            ["Log:Witnesses:List:0:Url"] = $"http://127.0.0.1:{port}",
            ["Log:Witnesses:MinRetryInterval"] = "00:00:00.200",
            ["Log:Witnesses:MaxRetryInterval"] = "00:00:01",
            ["Log:Witnesses:Interval"] = "00:00:01",
        }));
        using var recorder = new InstrumentRecorder(service.Services);
        var (gate, _) = await service.EnrolAsync("gate.test", trusted: true);
        await IssueAsync(gate, 2);

        // No witness answers yet: the entries wait, the quorum is not met.
        await Loopback.WaitUntilAsync(() => Task.FromResult(recorder.Observe("mimi.log.checkpoint.age") is [{ Value: > 0.2 }]), Soon,
            () => "the checkpoint age never grew while no witness answered");
        Assert.Equal(0, Assert.Single(recorder.Observe("mimi.log.witness.quorum")).Value);
        Assert.Empty(recorder.Observe("mimi.log.witness.cosignature.age"));

        var logKey = await service.Anonymous().GetLogVerifierKeyAsync();
        var url = $"http://127.0.0.1:{port}";
        var witness = Own(ServiceProcess.StartCli(_work,
            ["witness", "serve", "--key", "w.key", "--state", "state.json", "--log", $"localhost/test-log={logKey}", "--listen", url], url));
        await witness.WaitUntilAnsweringAsync(new Uri(url), "/");

        await Loopback.WaitUntilAsync(() => Task.FromResult(recorder.Observe("mimi.log.witness.quorum") is [{ Value: 1 }]), Soon,
            () => "the quorum gauge never read 1 after the witness cosigned");
        Assert.Equal(0, Assert.Single(recorder.Observe("mimi.log.checkpoint.age")).Value);
        Assert.True(recorder.Sum("mimi.log.witness.cosignatures", ("mimi.witness", "witness.example/w1")) >= 1);
        var age = Assert.Single(recorder.Observe("mimi.log.witness.cosignature.age"));
        Assert.Equal("witness.example/w1", age.Tags["mimi.witness"]);
        Assert.InRange(age.Value, 0, Soon.TotalSeconds);
        TagValues.AssertBounded(recorder.Measurements, ["gate.test"], ["witness.example/w1"]);
    }

    private T Own<T>(T owned)
        where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    private async Task IssueAsync(MimiDiscoveryClient gate, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await gate.IssueCredentialAsync($"tel:+1555007{i:D4}", $"mimi://gate.test/u/m{i}", _userKey.SubjectPublicKeyInfo, attested: true);
        }
    }
}
