using System.Diagnostics.Metrics;

namespace Mimi.Discovery.Server.Log;

/// <summary>
/// The log's instruments (meter <c>Mimi.Discovery.Log</c>): its size, how long its newest entries have waited for a
/// checkpoint, and per configured witness its cosignatures, their age, and whether the quorum holds. The gauges read
/// what <see cref="LogStateSampler"/> last read from storage; ages are computed at the scrape from stored times, so
/// they keep growing while storage is down.
/// </summary>
internal sealed class LogMetrics
{
    public const string MeterName = "Mimi.Discovery.Log";

    private readonly Counter<long> _cosignatures;
    private readonly TimeProvider _time;
    private volatile LogSample? _sample;

    public LogMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("mimi.log.size", Size, "{entry}", "Entries in the log.");
        meter.CreateObservableGauge("mimi.log.checkpoint.age", CheckpointAge, "s",
            "How long the oldest entry not covered by the checkpoint the log serves has waited (0 when the served checkpoint covers the whole log).");
        _cosignatures = meter.CreateCounter<long>("mimi.log.witness.cosignatures", "{cosignature}", "Verified cosignatures stored, per witness.");
        meter.CreateObservableGauge("mimi.log.witness.cosignature.age", CosignatureAges, "s", "Time since each witness last returned a cosignature.");
        meter.CreateObservableGauge("mimi.log.witness.quorum", Quorum, "{1}",
            "1 when the newest checkpoint has the cosignatures Log:Witnesses:Quorum requires, else 0 (absent without witnesses).");
    }

    /// <summary>A verified cosignature of <paramref name="witness"/> (its name) was stored.</summary>
    public void Cosigned(string witness) => _cosignatures.Add(1, new KeyValuePair<string, object?>("mimi.witness", witness));

    /// <summary>The state the gauges report, as last read (null before the first read).</summary>
    public LogSample? Sample
    {
        get => _sample;
        set => _sample = value;
    }

    private IEnumerable<Measurement<long>> Size() => _sample is { } s ? [new(s.Size)] : [];

    private IEnumerable<Measurement<double>> CheckpointAge() =>
        _sample is { } s ? [new(s.OldestUncoveredAt is { } at ? Seconds(at) : 0)] : [];

    private IEnumerable<Measurement<double>> CosignatureAges()
    {
        if (_sample is not { Witnesses: { Count: > 0 } witnesses })
        {
            return [];
        }

        var measurements = new List<Measurement<double>>(witnesses.Count);
        foreach (var (name, last) in witnesses)
        {
            if (last is { } at)
            {
                measurements.Add(new(Seconds(at), new KeyValuePair<string, object?>("mimi.witness", name)));
            }
        }

        return measurements;
    }

    private IEnumerable<Measurement<int>> Quorum() => _sample is { QuorumHeld: { } held } ? [new(held ? 1 : 0)] : [];

    private double Seconds(DateTimeOffset since) => Math.Max(0, (_time.GetUtcNow() - since).TotalSeconds);
}
