using Microsoft.Extensions.Options;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Log;

/// <summary>
/// Audits the stored log against itself, one full pass per <see cref="LogSelfAuditOptions.Interval"/>: every entry is
/// re-hashed and compared with its leaf hash in the stored level-0 tile, the tree is rebuilt from those leaf hashes
/// and every stored tile above compared with it, and the rebuilt root with the head's (the root every checkpoint is
/// signed over). Each layer is checked against the stored layer below, so one altered row gives one finding. Storage
/// is read past the tile cache: the pass sees what a restarted replica would serve.
/// </summary>
internal sealed partial class LogSelfAudit(
    LogStore store, LogIntegrityMonitor monitor, IOptions<LogSelfAuditOptions> options, TimeProvider time, ILogger<LogSelfAudit> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let start-up finish before the first pass competes with it.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A database outage is not a finding about the log; the findings of the last complete pass stand.
                LogPassFailed(logger, e);
            }

            try
            {
                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One full pass over the tree of the head read at its start (entries below it never change).</summary>
    internal async Task PassAsync(CancellationToken ct)
    {
        var head = await store.GetHeadAsync(ct);
        monitor.PassStarted();
        var rebuilt = new TileRebuilder();
        var pageSize = options.Value.PageSize;
        for (var start = 0L; start < head.Size; start += pageSize)
        {
            var count = (int)Math.Min(pageSize, head.Size - start);
            var leaves = await CheckEntriesAsync(start, count, head.Size, ct);
            await CompareAsync(await rebuilt.AppendAsync(leaves, ct), ct);
        }

        await CompareAsync(rebuilt.PartialTiles(), ct);
        if (!rebuilt.Root.AsSpan().SequenceEqual(head.Root))
        {
            monitor.RootMismatch(head.Size);
        }

        monitor.PassCompleted(head.Size);
    }

    /// <summary>Re-hashes entries [start, start + count) against the stored level-0 tiles; returns the stored leaf hashes.</summary>
    private async Task<List<byte[]>> CheckEntriesAsync(long start, int count, long treeSize, CancellationToken ct)
    {
        var entries = await store.ReadEntriesAsync(start, count, ct);
        var first = start >> TileCoordinate.Height;
        var last = (start + count - 1) >> TileCoordinate.Height;
        var tiles = await store.ReadStoredTilesAsync(0, first, last, ct);
        var leaves = new List<byte[]>(count);
        var next = 0;
        var computed = new byte[MerkleHash.Size];
        for (var index = start; index < start + count; index++)
        {
            var tile = TileCoordinate.InTree(0, index >> TileCoordinate.Height, treeSize);
            var offset = (int)(index & (TileCoordinate.FullWidth - 1)) * MerkleHash.Size;
            var hasEntry = next < entries.Count && entries[next].Index == index;
            if (hasEntry)
            {
                MerkleHash.LeafHash(entries[next].Data, computed);
                next++;
            }
            else
            {
                monitor.EntryMissing(index);
            }

            if (!tiles.TryGetValue(tile.Index, out var hashes) || hashes.Length < tile.ByteLength)
            {
                // Without its stored hash the rebuild goes on from the entry, so the levels above are still checked.
                monitor.TileMismatch(tile, "is missing or shorter than the tree needs");
                leaves.Add(computed.ToArray());
                continue;
            }

            var stored = hashes.AsSpan(offset, MerkleHash.Size);
            if (hasEntry && !stored.SequenceEqual(computed))
            {
                monitor.EntryMismatch(index, tile.Path);
            }

            leaves.Add(stored.ToArray());
        }

        return leaves;
    }

    /// <summary>Compares rebuilt tiles above level 0 with the stored ones (a stored partial tile may have grown since).</summary>
    private async Task CompareAsync(IReadOnlyList<TileWrite> rebuilt, CancellationToken ct)
    {
        foreach (var level in rebuilt.GroupBy(t => t.Coordinate.Level))
        {
            var stored = await store.ReadStoredTilesAsync(level.Key, level.Min(t => t.Coordinate.Index), level.Max(t => t.Coordinate.Index), ct);
            foreach (var tile in level)
            {
                if (!stored.TryGetValue(tile.Coordinate.Index, out var hashes) || hashes.Length < tile.Hashes.Length)
                {
                    monitor.TileMismatch(tile.Coordinate, "is missing or shorter than the tree needs");
                }
                else if (!hashes.AsSpan(0, tile.Hashes.Length).SequenceEqual(tile.Hashes))
                {
                    monitor.TileMismatch(tile.Coordinate, "does not match the tiles below it");
                }
            }
        }
    }

    [LoggerMessage(EventId = 7410, Level = LogLevel.Warning, Message = "Log self-audit pass could not complete; the next one runs after the interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
