using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Authority.ProofOfControl;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Purge;

/// <summary>
/// The one background purge: every <see cref="PurgeOptions.Interval"/> it deletes, table by table and in batches of
/// <see cref="PurgeOptions.BatchSize"/> rows (each its own short transaction), what has expired or outlived its
/// retention. A failed run is logged and the next one tries again; stopping the service ends it between batches.
/// </summary>
internal sealed partial class PurgeWorker(
    PurgeStore store, IOptions<PurgeOptions> options, IOptions<ProofOfControlOptions> proof, TimeProvider time, ILogger<PurgeWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A storage outage is logged once, by storage.
                    LogFailed(logger, StorageHealth.RetryLogLevel(e, LogLevel.Warning), e, options.Value.Interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the batch in flight rolled back or committed whole; the next start carries on.
        }
    }

    /// <summary>One run: every target until nothing more is due. Returns the rows deleted per target.</summary>
    internal async Task<IReadOnlyDictionary<PurgeTarget, int>> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var deleted = new Dictionary<PurgeTarget, int>();
        foreach (var (target, before) in Cutoffs(now, o, proof.Value))
        {
            var total = 0;
            int batch;
            do
            {
                batch = await store.DeleteBatchAsync(target, before, o.BatchSize, ct);
                total += batch;
            }
            while (batch == o.BatchSize);

            deleted[target] = total;
            if (total > 0)
            {
                LogPurged(logger, total, target);
            }
        }

        return deleted;
    }

    /// <summary>For each target, the time before which its rows go.</summary>
    internal static IEnumerable<(PurgeTarget Target, DateTimeOffset Before)> Cutoffs(DateTimeOffset now, PurgeOptions o, ProofOfControlOptions proof) =>
    [
        // Never handed out once expired (a last-resort one included), so nothing is lost.
        (PurgeTarget.ExpiredKeyPackages, now),
        (PurgeTarget.KeyPackageClaims, now - o.KeyPackageClaimRetention),
        (PurgeTarget.SentMessages, now - o.SentMessageRetention),
        (PurgeTarget.InboundMessages, now - o.InboundMessageRetention),
        // Stored with their expiry plus the clock skew allowed: past it, a replay is refused as expired anyway.
        (PurgeTarget.ClientAssertions, now),
        // A challenge still counts against the send limits for a send window after it was created, and a verified one
        // shows control of its identifier for the proven-control window after it was verified (before it expired).
        (PurgeTarget.Challenges, now - (proof.SendWindow > ProofOfControlOptions.ProvenControlWindow ? proof.SendWindow : ProofOfControlOptions.ProvenControlWindow)
            - proof.CodeLifetime),
        (PurgeTarget.FailedOutboxMessages, now - o.FailedOutboxRetention),
        (PurgeTarget.GroupInfoGrants, now),
        // An expired link or session opens nothing (the audit trail keeps the sign-ins and sign-outs).
        (PurgeTarget.ConsoleSignInLinks, now),
        (PurgeTarget.ConsoleSessions, now),
        // Like a peer's message id, an import's progress only keeps a retried upload from being applied twice.
        (PurgeTarget.ImportProgress, now - o.InboundMessageRetention),
    ];

    [LoggerMessage(EventId = 1005, Message = "Purge failed; the next run, in {Interval}, tries again")]
    private static partial void LogFailed(ILogger logger, LogLevel level, Exception exception, TimeSpan interval);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Purged {Count} row(s) of {Target}")]
    private static partial void LogPurged(ILogger logger, int count, PurgeTarget target);
}
