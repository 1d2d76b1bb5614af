using Microsoft.Extensions.Options;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>
/// Keeps this replica's <see cref="MappingIndex"/> current: loads it before the service answers, polls the change
/// sequence every <see cref="LookupOptions.IndexRefreshInterval"/>, catches up at once when another replica announces a
/// change (<see cref="MappingChangeSignal"/>), and sweeps expired mappings now and then.
/// </summary>
internal sealed class MappingIndexRefresher(
    MappingIndex index, MappingChangeSignal signal, IOptions<LookupOptions> options, TimeProvider time, ILogger<MappingIndex> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await index.LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IndexRefreshInterval, time);
        // Retried at every tick until Redis takes the subscription (it may be down at start-up); the poll runs regardless.
        void OnSignal(long sequence) => _ = CatchUpOnSignalAsync(sequence, stoppingToken);
        var subscribed = await signal.SubscribeAsync(OnSignal);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            subscribed = subscribed || await signal.SubscribeAsync(OnSignal);
            try
            {
                await index.CatchUpAsync(stoppingToken);
                await index.SweepIfDueAsync(stoppingToken);
            }
            catch (StorageException e)
            {
                // Keep answering from what is loaded; the next tick retries.
                MappingIndex.LogRefreshFailed(logger, e);
            }
        }
    }

    /// <summary>Another replica announced a change up to <paramref name="sequence"/>: catch up unless already there.</summary>
    private async Task CatchUpOnSignalAsync(long sequence, CancellationToken stoppingToken)
    {
        try
        {
            if (index.Position < sequence)
            {
                await index.TryCatchUpAsync(stoppingToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
        {
            // Shutting down: nothing left to answer.
        }
    }
}
