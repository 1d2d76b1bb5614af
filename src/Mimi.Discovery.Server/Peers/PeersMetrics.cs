using System.Diagnostics.Metrics;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Peers;

/// <summary>
/// The instruments of the traffic with other providers (meter <c>Mimi.Discovery.Peers</c>): MIMI requests in and out
/// by endpoint and status, failed delivery attempts, and the outbox per destination. Peers are named by their domain:
/// incoming requests are counted only once the peer authenticated, so no unproven name becomes a tag.
/// </summary>
internal sealed class PeersMetrics
{
    public const string MeterName = "Mimi.Discovery.Peers";

    /// <summary>The most destinations the outbox gauges report (those with the most pending), bounding their series.</summary>
    public const int MaxDestinations = 200;

    private readonly Counter<long> _requests;
    private readonly Counter<long> _failures;
    private readonly TimeProvider _time;
    private volatile IReadOnlyList<OutboxDestinationSummary>? _outbox;

    public PeersMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("mimi.peer.requests", "{request}", "MIMI requests to and from other providers, by direction, endpoint, status and peer.");
        _failures = meter.CreateCounter<long>("mimi.outbox.failures", "{attempt}", "Outbox delivery attempts that failed (retried or given up), per destination.");
        meter.CreateObservableGauge("mimi.outbox.depth", Depth, "{message}", "Messages waiting in the outbox, per destination.");
        meter.CreateObservableGauge("mimi.outbox.oldest_pending.age", OldestAge, "s", "Age of the oldest message waiting in the outbox, per destination.");
    }

    /// <summary>The outbox as last read (null before the first read).</summary>
    public IReadOnlyList<OutboxDestinationSummary>? Outbox
    {
        get => _outbox;
        set => _outbox = value;
    }

    /// <summary>
    /// Counts a MIMI request. <paramref name="status"/> is the HTTP status answered; null when none came back, and then
    /// <paramref name="error"/> says why (the <c>error.type</c> of the OpenTelemetry conventions).
    /// </summary>
    public void Request(bool incoming, MimiEndpoint endpoint, string peer, int? status, string? error = null)
    {
        var tags = new System.Diagnostics.TagList
        {
            { "mimi.peer.direction", incoming ? "in" : "out" },
            { "mimi.peer.endpoint", MimiDirectory.NameOf(endpoint) },
            { "mimi.destination", peer },
        };
        if (status is { } code)
        {
            tags.Add("http.response.status_code", code);
        }
        else
        {
            tags.Add("error.type", error ?? "other");
        }

        _requests.Add(1, tags);
    }

    public void DeliveryFailed(string destination) => _failures.Add(1, new KeyValuePair<string, object?>("mimi.destination", destination));

    private IEnumerable<Measurement<long>> Depth() =>
        _outbox is { } outbox ? outbox.Select(d => new Measurement<long>(d.Pending, new KeyValuePair<string, object?>("mimi.destination", d.Destination))) : [];

    private IEnumerable<Measurement<double>> OldestAge()
    {
        if (_outbox is not { } outbox)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        return outbox.Select(d => new Measurement<double>(Math.Max(0, (now - d.OldestPending).TotalSeconds),
            new KeyValuePair<string, object?>("mimi.destination", d.Destination)));
    }
}
