using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Mimi.Discovery.Server.Tests.Fixtures;

/// <summary>
/// Records every measurement of the service's <c>Mimi.Discovery.*</c> meters: those its <see cref="IMeterFactory"/>
/// created (so other services in the process are not heard) and, when asked, the libraries' static meters (shared by
/// the process: assert on tags only this test produces, or on at-least counts).
/// </summary>
internal sealed class InstrumentRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Recorded> _measurements = new();

    public InstrumentRecorder(IServiceProvider services, bool includeStatic = false)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            var meter = instrument.Meter;
            if (meter.Name.StartsWith("Mimi.Discovery.", StringComparison.Ordinal) && (meter.Scope == factory || (includeStatic && meter.Scope is null)))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        _listener.Start();
    }

    public IReadOnlyList<Recorded> Measurements => [.. _measurements];

    /// <summary>The sum of a counter's measurements whose tags include every one of <paramref name="tags"/>.</summary>
    public double Sum(string instrument, params (string Key, object Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && Matches(m, tags)).Sum(m => m.Value);

    /// <summary>Reads the observable gauges now and returns the values of <paramref name="instrument"/> (with their tags).</summary>
    public IReadOnlyList<Recorded> Observe(string instrument)
    {
        var before = _measurements.Count;
        _listener.RecordObservableInstruments();
        return _measurements.Skip(before).Where(m => m.Instrument == instrument).ToList();
    }

    public void Dispose() => _listener.Dispose();

    private static bool Matches(Recorded m, (string Key, object Value)[] tags) =>
        tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value));

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new Recorded(instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }

    internal sealed record Recorded(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);
}
