using Microsoft.Extensions.Options;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Peers;

/// <summary>
/// Delivers the outbox: the oldest pending message of each destination, many destinations at once; 2xx removes it;
/// a transient failure is retried with exponential back-off and jitter, or after the peer's Retry-After when that is
/// longer; a permanent refusal or a message older than <see cref="OutboxOptions.MaxAge"/> is kept as failed and
/// logged. Several replicas may run this loop: a claimed message is leased, and a duplicate delivery is harmless
/// because receivers process each message id once.
/// </summary>
internal sealed partial class OutboxWorker(
    Outbox outbox, OutboxStore store, PeerClient peers, PeersMetrics metrics, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<OutboxWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(90);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.Outbox;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await RunOnceAsync(stoppingToken);
            }
            catch (StorageException e)
            {
                // An outage is logged once, by storage.
                LogStorageFailed(logger, StorageHealth.RetryLogLevel(e, LogLevel.Warning), e.Kind);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A bug in one pass must not stop delivery for good: log it and try again on the next tick.
                LogPassFailed(logger, e);
            }

            if (sent == 0)
            {
                try
                {
                    await outbox.WaitAsync(o.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One pass: claims what is due and delivers it; returns how many messages were attempted.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value.Outbox;
        var now = time.GetUtcNow();
        var due = await store.ClaimDueAsync(now, now + Lease, o.Concurrency, ct);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = ct },
            async (message, token) => await DeliverAsync(message, token));
        return due.Count;
    }

    private async Task DeliverAsync(OutboxMessage message, CancellationToken ct)
    {
        var o = options.Value.Outbox;
        PeerResponse response;
        if (!MimiDirectory.TryParseName(message.Endpoint, out var endpoint))
        {
            response = PeerResponse.Failed(PeerOutcome.Permanent, $"unknown endpoint '{message.Endpoint}'");
        }
        else
        {
            response = await peers.SendAsync(message.Destination, endpoint, message.Target, message.Body, message.MessageId, ct);
        }

        var now = time.GetUtcNow();
        if (response.Outcome != PeerOutcome.Accepted)
        {
            metrics.DeliveryFailed(message.Destination);
        }

        switch (response.Outcome)
        {
            case PeerOutcome.Accepted:
                await store.CompleteAsync(message.Sequence, CancellationToken.None);
                LogDelivered(logger, message.Endpoint, message.Destination, message.MessageId, message.Attempts + 1);
                return;
            case PeerOutcome.Transient when now - message.CreatedAt < o.MaxAge:
                var backoff = Backoff(message.Attempts, o);
                var wait = response.RetryAfter is { } retryAfter && retryAfter > backoff
                    ? (retryAfter < o.MaxRetryAfter ? retryAfter : o.MaxRetryAfter)
                    : backoff;
                await store.RetryLaterAsync(message.Sequence, now + wait, response.Error ?? "transient failure", CancellationToken.None);
                LogRetry(logger, message.Endpoint, message.Destination, message.MessageId, response.Error ?? "", wait.TotalSeconds);
                return;
            default:
                var reason = response.Outcome == PeerOutcome.Transient ? $"gave up after {o.MaxAge}: {response.Error}" : response.Error ?? "refused";
                await store.FailAsync(message.Sequence, reason, now, CancellationToken.None);
                LogFailed(logger, message.Endpoint, message.Destination, message.MessageId, reason);
                outbox.Wake();
                return;
        }
    }

    internal static TimeSpan Backoff(int attempts, OutboxOptions o)
    {
        var exponential = o.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempts, 20));
        var capped = Math.Min(exponential, o.MaxBackoff.TotalMilliseconds);
        // ±20 % jitter, so destinations that failed together do not retry in lockstep.
        return TimeSpan.FromMilliseconds(capped * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    [LoggerMessage(EventId = 4011, Level = LogLevel.Debug, Message = "Delivered {Endpoint} {MessageId} to {Destination} (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, string endpoint, string destination, string messageId, int attempt);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "Delivery of {Endpoint} {MessageId} to {Destination} failed ({Error}); retrying in {Seconds:0.#} s")]
    private static partial void LogRetry(ILogger logger, string endpoint, string destination, string messageId, string error, double seconds);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Gave up delivering {Endpoint} {MessageId} to {Destination}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string endpoint, string destination, string messageId, string reason);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Error, Message = "Outbox pass failed unexpectedly; retrying")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4014, Message = "Outbox pass skipped ({Kind}); retrying")]
    private static partial void LogStorageFailed(ILogger logger, LogLevel level, StorageErrorKind kind);
}
