using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Oprf;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup.Private;

/// <summary>
/// Rebuilds every record under the current key after a rotation (or when the key is new), in the background; then
/// drops the records of retired keys and moves evaluations to the new key. Between rotations it adds, when an issuance
/// asks and at least every <see cref="PrivateLookupOptions.CatchUpInterval"/>, the records of mappings that have none (new issuances, bulk imports, a
/// record that could not be stored at issuance), after reading the key file again in case another replica rotated. A
/// bulk-imported mapping's index proof, computed for its record, is kept in its row.
/// </summary>
internal sealed partial class PrivateRecordRebuilder(
    PrivateLookupKeys keys, PrivateRecordBuilder builder, IndexProofs proofs, PrivateRecordStore store, IOptions<PrivateLookupOptions> options, TimeProvider time,
    ILogger<PrivateRecordRebuilder> logger) : BackgroundService
{
    private const int PageSize = 500;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private (string KeyId, long LogIndex) _watermark = ("", -1);
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks for a pass (after an issuance or a rotation); requests made while one is queued collapse into it.</summary>
    public void Request()
    {
        if (options.Value.Enabled)
        {
            _requests.Writer.TryWrite(true);
        }
    }

    /// <summary>Runs a catch-up pass now and waits for it (tests, and callers that need a new mapping findable at once).</summary>
    public async Task CatchUpNowAsync(CancellationToken ct)
    {
        keys.Refresh();
        if (!keys.Rebuilding)
        {
            await CatchUpAsync(full: false, ct);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass, and every timed one, reads from the start (bulk imports, a failed write); a pass asked
        // for by an issuance reads only above the last mapping it saw.
        var full = true;
        while (options.Value.Enabled && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                keys.Refresh();
                await (keys.Rebuilding ? RebuildAsync(stoppingToken) : CatchUpAsync(full, stoppingToken));
            }
            catch (StorageException e)
            {
                // An outage is logged once, by storage.
                LogRetry(logger, StorageHealth.RetryLogLevel(e, LogLevel.Warning), e.Kind);
            }

            // Until the next request (a rotation) or the next catch-up.
            using var interval = new CancellationTokenSource(options.Value.CatchUpInterval, time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, interval.Token);
            try
            {
                await _requests.Reader.ReadAsync(wait.Token);
                full = false;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                full = true;
            }
        }
    }

    private async Task CatchUpAsync(bool full, CancellationToken ct)
    {
        await _pass.WaitAsync(ct);
        try
        {
            var server = new OprfServer(OprfMode.Voprf, keys.Ring.Current);
            var after = !full && _watermark.KeyId == server.Key.KeyId ? _watermark.LogIndex : -1;
            var count = 0;
            while (true)
            {
                var page = await store.ListWithoutRecordAsync(server.Key.KeyId, after, PageSize, time.GetUtcNow(), ct);
                if (page.Count == 0 || keys.Ring.Current.KeyId != server.Key.KeyId)
                {
                    break;
                }

                await store.UpsertAsync((await proofs.CompleteAndKeepAsync(page, ct)).Select(m => builder.Build(server, m)).ToArray(), ct);
                after = page[^1].LogIndex;
                count += page.Count;
            }

            // Only what is logged after this point can still lack a record (indices are assigned in commit order).
            _watermark = (server.Key.KeyId, Math.Max(after, _watermark.KeyId == server.Key.KeyId ? _watermark.LogIndex : -1));
            if (count > 0)
            {
                LogCaughtUp(logger, count, server.Key.KeyId);
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
    }

    private async Task RebuildAsync(CancellationToken ct)
    {
        var ring = keys.Ring;
        var server = new OprfServer(OprfMode.Voprf, ring.Current);
        LogStarted(logger, ring.Current.KeyId);
        await store.DeleteOtherKeysAsync(ring.Previous is { } previous ? [ring.Current.KeyId, previous.KeyId] : [ring.Current.KeyId], ct);

        var after = "";
        var count = 0;
        while (true)
        {
            var page = await store.ListActiveMappingsAsync(after, PageSize, time.GetUtcNow(), ct);
            if (page.Count == 0)
            {
                break;
            }

            await store.UpsertAsync((await proofs.CompleteAndKeepAsync(page, ct)).Select(m => builder.Build(server, m)).ToArray(), ct);
            count += page.Count;
            after = page[^1].Serial;
        }

        keys.CompleteRebuild(ring.Current.KeyId);
        LogCompleted(logger, ring.Current.KeyId, count);
    }

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "Building private-lookup records under OPRF key {KeyId}")]
    private static partial void LogStarted(ILogger logger, string keyId);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "Private-lookup records under OPRF key {KeyId} complete ({Count} mappings); evaluations use it now")]
    private static partial void LogCompleted(ILogger logger, string keyId, int count);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Information, Message = "Added the private-lookup records of {Count} mappings that had none under OPRF key {KeyId}")]
    private static partial void LogCaughtUp(ILogger logger, int count, string keyId);

    [LoggerMessage(EventId = 1704, Message = "Private-lookup records not built ({Kind}); retrying at the next catch-up")]
    private static partial void LogRetry(ILogger logger, LogLevel level, StorageErrorKind kind);
}
