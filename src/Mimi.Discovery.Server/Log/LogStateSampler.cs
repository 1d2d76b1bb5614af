using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Log.Witnessing;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Log;

/// <summary>
/// Reads the log's head, the checkpoint it serves and its witnesses' standing for <see cref="LogMetrics"/>, once per
/// <see cref="MetricsOptions.SampleInterval"/>. Without witnesses the log signs its head on request, so its checkpoint
/// always covers every entry; with them it serves the newest checkpoint that reached the quorum.
/// </summary>
internal sealed class LogStateSampler(
    LogStore log, WitnessStore witnesses, LogMetrics metrics, IOptions<LogWitnessesOptions> witnessOptions, IOptions<MetricsOptions> options,
    TimeProvider time, ILogger<LogStateSampler> logger) : StateSampler(options, time, logger)
{
    private readonly (string Name, string Key)[] _witnesses = [.. witnessOptions.Value.List.Select(w => CosignatureVerifier.Parse(w.VerifierKey))
        .Select(v => (v.Name, v.VerifierKey))];

    public override async Task SampleAsync(CancellationToken ct)
    {
        var head = await log.GetHeadAsync(ct);
        if (_witnesses.Length == 0)
        {
            metrics.Sample = new LogSample(head.Size, null, [], null);
            return;
        }

        var keys = _witnesses.Select(w => w.Key).ToArray();
        var quorum = witnessOptions.Value.Quorum;
        var status = await witnesses.GetStatusAsync(keys, ct);
        var served = (await witnesses.GetNewestCosignedAsync(keys, quorum, ct))?.Size ?? 0;
        var uncovered = served < head.Size ? await log.GetEntryTimeAsync(served, ct) : null;
        var ages = _witnesses.Select(w => (w.Name, status.LastCosignedAt.TryGetValue(w.Key, out var at) ? at : (DateTimeOffset?)null)).ToArray();
        // An empty log has nothing to cosign; otherwise the newest checkpoint sent must carry the quorum.
        var held = status.NewestCheckpoint is null ? head.Size == 0 : status.CosignersOfNewest.Count >= quorum;
        metrics.Sample = new LogSample(head.Size, uncovered, ages, held);
    }
}
