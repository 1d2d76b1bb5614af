using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>
/// This instance's lookups per minute over the last day, per requester and outcome, for the console's traffic chart
/// and <c>mimi traffic</c>: a <see cref="MeterListener"/> on <c>mimi.lookup.requests</c> (the Lookup module's
/// counter), so the figures are the ones Prometheus scrapes, without a database write per lookup. Bounded: a ring of
/// <see cref="Capacity"/> minutes, each with at most <see cref="MaxSeriesPerMinute"/> requester × outcome pairs
/// (requesters are enrolled providers, outcomes a handful; past the cap, the rest count as <see cref="Other"/>).
/// </summary>
/// <remarks>
/// Only the meters of this host's <see cref="IMeterFactory"/> are heard, so two services in one process (tests) do
/// not mix. Each replica sees its own lookups: summing across replicas is Prometheus's job.
/// </remarks>
internal sealed class LookupTraffic : IHostedService, IDisposable
{
    public const string MeterName = "Mimi.Discovery.Lookup";
    public const string InstrumentName = "mimi.lookup.requests";
    public const string RequesterTag = "mimi.requester";
    public const string OutcomeTag = "mimi.lookup.outcome";

    /// <summary>Minutes kept: one day.</summary>
    public const int Capacity = 24 * 60;

    public const int MaxSeriesPerMinute = 1000;

    /// <summary>The requester of counts past the per-minute cap, and of measurements without a requester.</summary>
    public const string Other = "(other)";

    private readonly IMeterFactory _meters;
    private readonly TimeProvider _time;
    private readonly MeterListener _listener = new();
    private readonly Minute?[] _minutes = new Minute?[Capacity];

    public LookupTraffic(IMeterFactory meters, TimeProvider time)
    {
        _meters = meters;
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == _meters && instrument.Meter.Name == MeterName && instrument.Name == InstrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Record(value, tags));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    /// <summary>The last <paramref name="minutes"/> minutes, the current one included, oldest first.</summary>
    public LookupTrafficView Read(int minutes)
    {
        var now = MinuteOf(_time.GetUtcNow());
        var first = now - minutes + 1;
        var series = new Dictionary<(string Requester, string Outcome), long[]>();
        for (var m = first; m <= now; m++)
        {
            if (Volatile.Read(ref _minutes[Slot(m)]) is not { } minute || minute.Number != m)
            {
                continue;
            }

            foreach (var (key, count) in minute.Counts)
            {
                if (!series.TryGetValue(key, out var counts))
                {
                    series[key] = counts = new long[minutes];
                }

                counts[m - first] += Volatile.Read(ref count.Value);
            }
        }

        return new LookupTrafficView(DateTimeOffset.FromUnixTimeSeconds(first * 60), minutes,
            series.OrderBy(s => s.Key.Requester, StringComparer.Ordinal).ThenBy(s => s.Key.Outcome, StringComparer.Ordinal)
                .Select(s => new LookupTrafficSeries(s.Key.Requester, s.Key.Outcome, s.Value.Sum(), s.Value)).ToArray());
    }

    private void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? requester = null;
        string? outcome = null;
        foreach (var tag in tags)
        {
            if (tag.Key == RequesterTag)
            {
                requester = tag.Value as string;
            }
            else if (tag.Key == OutcomeTag)
            {
                outcome = tag.Value as string;
            }
        }

        var key = (requester ?? Other, outcome ?? "unknown");
        var minute = Current(MinuteOf(_time.GetUtcNow()));
        if (minute.Counts.Count >= MaxSeriesPerMinute && !minute.Counts.ContainsKey(key))
        {
            key = (Other, key.Item2);
        }

        Interlocked.Add(ref minute.Counts.GetOrAdd(key, static _ => new StrongBox<long>()).Value, value);
    }

    // The minute's slot, replaced when it still holds the same minute of an earlier day.
    private Minute Current(long number)
    {
        ref var slot = ref _minutes[Slot(number)];
        while (true)
        {
            var existing = Volatile.Read(ref slot);
            if (existing is not null && existing.Number >= number)
            {
                return existing;
            }

            var fresh = new Minute(number);
            if (Interlocked.CompareExchange(ref slot, fresh, existing) == existing)
            {
                return fresh;
            }
        }
    }

    private static long MinuteOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 60;

    private static int Slot(long minute) => (int)(minute % Capacity);

    private sealed class Minute(long number)
    {
        public long Number { get; } = number;

        public ConcurrentDictionary<(string Requester, string Outcome), StrongBox<long>> Counts { get; } = new();
    }
}
