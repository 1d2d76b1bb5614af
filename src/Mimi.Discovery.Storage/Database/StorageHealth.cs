using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Mimi.Discovery.Storage;

/// <summary>
/// Whether the store is failing now, as the storage boundary (<see cref="MimiDatabase"/>) sees every operation: an
/// outage starts with the first failure of an outage kind (<see cref="StorageException.IsOutage"/>) and ends with
/// the next success, each logged once however many requests and background passes fail in between.
/// </summary>
/// <remarks>
/// A failure met while writing ends only with a successful write: with a full disk or a read-only file system reads
/// keep working, and must not make the outage look over. Readiness reports the outage and, while it lasts, probes
/// with a write (<see cref="MimiDatabase.ProbeWriteAsync"/>), so a replica taken out of traffic still notices when
/// storage works again.
/// </remarks>
public sealed partial class StorageHealth
{
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private StorageOutage? _outage;
    private long _started;

    /// <summary>Creates a tracker that reports outages to <paramref name="logger"/>.</summary>
    internal StorageHealth(ILogger logger) => _logger = logger;

    /// <summary>The outage under way, or null while storage works.</summary>
    public StorageOutage? Outage => Volatile.Read(ref _outage);

    internal void Failed(StorageException failure, bool writing)
    {
        lock (_gate)
        {
            if (_outage is { } current)
            {
                // A write failure says more than a read failure (reads may still work); keep the write's kind.
                if (writing || !current.Writing)
                {
                    Volatile.Write(ref _outage, current with { Kind = failure.Kind, Writing = current.Writing || writing });
                }

                return;
            }

            _started = Stopwatch.GetTimestamp();
            Volatile.Write(ref _outage, new StorageOutage(failure.Kind, DateTimeOffset.UtcNow, writing));
        }

        // The provider's message, not a stack trace: an outage is not a bug, and the trace would only show our caller.
        LogOutageStarted(_logger, failure.Kind, writing ? "write" : "read", (failure.InnerException ?? failure).Message);
    }

    internal void Succeeded(bool writing)
    {
        // The hot path: one volatile read while storage works.
        if (Volatile.Read(ref _outage) is not { } current || (current.Writing && !writing))
        {
            return;
        }

        StorageOutage ended;
        long started;
        lock (_gate)
        {
            if (_outage is not { } outage || (outage.Writing && !writing))
            {
                return;
            }

            (ended, started) = (outage, _started);
            Volatile.Write(ref _outage, null);
        }

        LogOutageEnded(_logger, ended.Kind, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The level at which a retrying worker logs <paramref name="failure"/>: Debug for an outage (this tracker logs it once,
    /// when it starts and when it ends, however many passes fail in between), <paramref name="otherwise"/> for anything else.
    /// </summary>
    public static LogLevel RetryLogLevel(Exception failure, LogLevel otherwise) =>
        failure is StorageException { IsOutage: true } ? LogLevel.Debug : otherwise;

    [LoggerMessage(EventId = 7301, Level = LogLevel.Error,
        Message = "Storage is failing ({Kind}, first seen on a {Operation}: {Error}); requests that need it answer 503 and readiness fails until it works again")]
    private static partial void LogOutageStarted(ILogger logger, StorageErrorKind kind, string operation, string error);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Information, Message = "Storage works again after {Duration} (last failure {Kind})")]
    private static partial void LogOutageEnded(ILogger logger, StorageErrorKind kind, TimeSpan duration);
}
