using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Log;

/// <summary>
/// Group commit for the issuance log: concurrent writers queue here and one loop commits whatever has queued as a
/// single transaction (up to <see cref="LogOptions.MaxBatch"/>). A caller's task completes only after its batch is
/// committed, so an answered write is a durable write, and only after this replica's lookup index holds it, so an
/// issuance or revocation holds for the caller's next lookup here.
/// </summary>
internal sealed partial class LogSequencer(LogStore store, Lookup.MappingIndex index, IOptions<LogOptions> options, ILogger<LogSequencer> logger,
    Witnessing.LogCosigner? cosigner = null)
    : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public Task<LogWriteResult> AppendAsync(LogWrite write, CancellationToken ct)
    {
        var pending = new Pending(write, new TaskCompletionSource<LogWriteResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The log sequencer has stopped.");
        }

        // The write may still commit after the caller gives up waiting; the caller only stops listening.
        return pending.Completion.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>();
        var writes = new List<LogWrite>();
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            writes.Clear();
            while (batch.Count < options.Value.MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                writes.Add(next.Write);
            }

            try
            {
                var results = await store.AppendAsync(writes, CancellationToken.None);
                await index.CatchUpAfterWriteAsync(CancellationToken.None);
                cosigner?.Signal();
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                // Nothing of this batch was committed; every caller learns so (storage outages become 503, and are
                // logged once, by storage).
                LogBatchFailed(logger, StorageHealth.RetryLogLevel(e, LogLevel.Error), e, batch.Count);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(e);
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private sealed record Pending(LogWrite Write, TaskCompletionSource<LogWriteResult> Completion);

    [LoggerMessage(EventId = 7420, Message = "Log batch of {Count} writes failed; none was committed")]
    private static partial void LogBatchFailed(ILogger logger, LogLevel level, Exception exception, int count);
}
