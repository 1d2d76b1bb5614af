using Microsoft.Extensions.Options;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// Reads stored state for a module's gauges once per <see cref="MetricsOptions.SampleInterval"/>, so that a scrape
/// costs no query and works while the database is down (the gauges then show the last sample, and ages keep growing
/// from the stored times). A failed sample is logged and retried at the next tick.
/// </summary>
internal abstract partial class StateSampler(IOptions<MetricsOptions> options, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>Reads the state once and hands it to the module's metrics.</summary>
    public abstract Task SampleAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, time);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // An outage is logged once, by storage; anything else is worth a line, and never stops sampling.
                LogSampleFailed(logger, StorageHealth.RetryLogLevel(e, LogLevel.Warning), e, GetType().Name);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1920, Message = "{Sampler} could not read the state behind its gauges; they show the last sample until the next one succeeds")]
    private static partial void LogSampleFailed(ILogger logger, LogLevel level, Exception exception, string sampler);
}
