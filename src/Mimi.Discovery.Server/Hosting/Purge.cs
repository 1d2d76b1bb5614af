using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// How long what only serves a while is kept: the purge deletes expired KeyPackages, used <c>jti</c> values and
/// challenges once they can no longer matter, and the rest after a retention.
/// </summary>
internal sealed class PurgeOptions
{
    public const string Section = "Purge";

    /// <summary>How often the purge runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows deleted per transaction; a run repeats batches until a table has nothing more to delete.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// How long a KeyPackage claim is kept: the Welcome that uses the claimed KeyPackage is routed by it, and a
    /// requester commits within moments of claiming, so days are ample.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan KeyPackageClaimRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long the hash of a message a local client sent through a remote hub is kept, so the hub's fan-out of it is
    /// not delivered back to the sender. Longer than <c>Delivery:Outbox:MaxAge</c> (a hub on this software's defaults
    /// retries for 2 days); after it, a very late echo reaches the sender, whose MLS client drops its own message.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan SentMessageRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a peer's message id is remembered, so a retried notify or consent message is applied once. Longer
    /// than <c>Delivery:Outbox:MaxAge</c>, and by default than the longest any peer on this software may retry (30 days).
    /// A resumable import's progress is kept as long after its last batch, so it can be resumed until then.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan InboundMessageRetention { get; set; } = TimeSpan.FromDays(31);

    /// <summary>How long an outbox message given up on stays listed for the operator (<c>GET /v1/delivery/outbox</c>), counted from its failure.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan FailedOutboxRetention { get; set; } = TimeSpan.FromDays(30);
}

internal sealed class PurgeOptionsValidator(IOptions<DeliveryOptions> delivery) : IValidateOptions<PurgeOptions>
{
    public ValidateOptionsResult Validate(string? name, PurgeOptions options)
    {
        // A sender retries for up to its outbox's MaxAge: forgetting a message id (or a sent hash) sooner lets a retry through twice.
        var maxAge = delivery.Value.Outbox.MaxAge;
        var failures = new List<string>();
        foreach (var (setting, value) in new[] { ("InboundMessageRetention", options.InboundMessageRetention), ("SentMessageRetention", options.SentMessageRetention) })
        {
            if (value <= maxAge)
            {
                failures.Add($"Purge:{setting} ({value}) must be longer than Delivery:Outbox:MaxAge ({maxAge}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

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
        // A challenge still counts against the send limits for a send window after it was created.
        (PurgeTarget.Challenges, now - proof.SendWindow - proof.CodeLifetime),
        (PurgeTarget.FailedOutboxMessages, now - o.FailedOutboxRetention),
        (PurgeTarget.GroupInfoGrants, now),
        // Like a peer's message id, an import's progress only keeps a retried upload from being applied twice.
        (PurgeTarget.ImportProgress, now - o.InboundMessageRetention),
    ];

    [LoggerMessage(EventId = 1005, Message = "Purge failed; the next run, in {Interval}, tries again")]
    private static partial void LogFailed(ILogger logger, LogLevel level, Exception exception, TimeSpan interval);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Purged {Count} row(s) of {Target}")]
    private static partial void LogPurged(ILogger logger, int count, PurgeTarget target);
}
