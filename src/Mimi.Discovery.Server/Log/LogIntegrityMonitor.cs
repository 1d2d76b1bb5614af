using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Log;

/// <summary>
/// What this replica knows to be wrong with the stored log: entries that do not match their leaf hash, tiles that do
/// not match the level below, a root that is not the head's. Any standing finding makes readiness fail (the replica
/// must not serve a log it knows to be altered) and is logged as Critical once, when first found; it stands until a
/// later self-audit pass no longer finds it.
/// </summary>
internal sealed partial class LogIntegrityMonitor(ILogger<LogIntegrityMonitor> logger, TimeProvider time) : IReadinessContributor
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _standing = [];
    private readonly HashSet<string> _foundSincePass = [];
    private SelfAuditPass? _lastPass;

    /// <summary>The last complete self-audit pass (the operator's log page), or null before the first.</summary>
    public SelfAuditPass? LastPass
    {
        get
        {
            lock (_lock)
            {
                return _lastPass;
            }
        }
    }

    public string? NotReadyReason
    {
        get
        {
            lock (_lock)
            {
                return _standing.Count == 0 ? null : ProblemKinds.LogIntegrity;
            }
        }
    }

    /// <summary>An entry about to be served did not match its leaf hash in the level-0 tile; it was refused.</summary>
    public void ServedEntryMismatch(long index, string tile)
    {
        if (Found("entry/" + index))
        {
            LogServedEntryMismatch(logger, index, tile);
        }
    }

    /// <summary>An entry is missing from a range that the tree covers; nothing of the range was served.</summary>
    public void ServedEntryMissing(long index)
    {
        if (Found("missing/" + index))
        {
            LogEntryMissing(logger, index);
        }
    }

    /// <summary>A self-audit pass starts: findings from here on belong to it.</summary>
    public void PassStarted()
    {
        lock (_lock)
        {
            _foundSincePass.Clear();
        }
    }

    public void EntryMismatch(long index, string tile)
    {
        if (Found("entry/" + index))
        {
            LogAuditEntryMismatch(logger, index, tile);
        }
    }

    public void EntryMissing(long index)
    {
        if (Found("missing/" + index))
        {
            LogEntryMissing(logger, index);
        }
    }

    public void TileMismatch(TileCoordinate tile, string reason)
    {
        // Keyed without the width: a partial tile keeps its identity as the log grows.
        if (Found($"tile/{tile.Level}/{tile.Index}"))
        {
            LogTileMismatch(logger, tile.Path, reason);
        }
    }

    public void RootMismatch(long size)
    {
        if (Found("root/" + size))
        {
            LogRootMismatch(logger, size);
        }
    }

    /// <summary>
    /// A pass ended: what it found (and what serving found meanwhile) is what stands now. A finding that no longer
    /// stands may be logged again should it come back.
    /// </summary>
    public void PassCompleted(long size)
    {
        bool cleared;
        int standing;
        lock (_lock)
        {
            cleared = _standing.Count > 0 && _foundSincePass.Count == 0;
            _standing.IntersectWith(_foundSincePass);
            standing = _standing.Count;
            _lastPass = new SelfAuditPass(time.GetUtcNow(), size, standing);
        }

        if (cleared)
        {
            LogCleared(logger, size);
        }
        else if (standing == 0)
        {
            LogPassed(logger, size);
        }
    }

    /// <summary>Records a finding; true when it is new (not standing already), so that it is logged once.</summary>
    private bool Found(string key)
    {
        lock (_lock)
        {
            _foundSincePass.Add(key);
            return _standing.Add(key);
        }
    }

    [LoggerMessage(EventId = 7400, Level = LogLevel.Critical,
        Message = "Log integrity: entry {Index} does not match its leaf hash in {Tile}; it is refused (500 log-integrity) and readiness fails")]
    private static partial void LogServedEntryMismatch(ILogger logger, long index, string tile);

    [LoggerMessage(EventId = 7401, Level = LogLevel.Critical,
        Message = "Log integrity: the self-audit found entry {Index} altered: it does not match its leaf hash in {Tile}; readiness fails")]
    private static partial void LogAuditEntryMismatch(ILogger logger, long index, string tile);

    [LoggerMessage(EventId = 7402, Level = LogLevel.Critical, Message = "Log integrity: entry {Index} is missing from storage; readiness fails")]
    private static partial void LogEntryMissing(ILogger logger, long index);

    [LoggerMessage(EventId = 7403, Level = LogLevel.Critical, Message = "Log integrity: stored {Tile} {Reason}; readiness fails")]
    private static partial void LogTileMismatch(ILogger logger, string tile, string reason);

    [LoggerMessage(EventId = 7404, Level = LogLevel.Critical,
        Message = "Log integrity: the stored tiles do not give the head's root for tree size {Size} (the root checkpoints are signed over); readiness fails")]
    private static partial void LogRootMismatch(ILogger logger, long size);

    [LoggerMessage(EventId = 7405, Level = LogLevel.Warning, Message = "Log integrity: a self-audit pass over {Size} entries found nothing wrong any more; readiness restored")]
    private static partial void LogCleared(ILogger logger, long size);

    [LoggerMessage(EventId = 7406, Level = LogLevel.Debug, Message = "Log self-audit passed: {Size} entries, their tiles and the root")]
    private static partial void LogPassed(ILogger logger, long size);
}
