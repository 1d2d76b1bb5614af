using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Peers;

/// <summary>Reads the outbox per destination for <see cref="PeersMetrics"/>, once per <see cref="MetricsOptions.SampleInterval"/>.</summary>
internal sealed class OutboxStateSampler(OutboxStore store, PeersMetrics metrics, IOptions<MetricsOptions> options, TimeProvider time,
    ILogger<OutboxStateSampler> logger) : StateSampler(options, time, logger)
{
    public override async Task SampleAsync(CancellationToken ct) =>
        metrics.Outbox = await store.SummarizeByDestinationAsync(PeersMetrics.MaxDestinations, ct);
}
