using System.Diagnostics.Metrics;

namespace Mimi.Discovery.Storage;

/// <summary>
/// Storage's instruments, on a static meter named <c>Mimi.Discovery.Storage</c>: this library knows no host and no
/// dependency injection (as Npgsql's own meter), and every <see cref="MimiDatabase"/> of a process reports to it.
/// </summary>
internal static class StorageMetrics
{
    public const string MeterName = "Mimi.Discovery.Storage";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("mimi.storage.errors", "{error}",
        "Storage operations that failed with a recognised error, by kind (outages, contention, duplicates).");

    public static void Error(StorageErrorKind kind) => Errors.Add(1, new KeyValuePair<string, object?>("mimi.storage.error_kind", KindName(kind)));

    /// <summary>The kebab-case tag value of <paramref name="kind"/>.</summary>
    public static string KindName(StorageErrorKind kind) => kind switch
    {
        StorageErrorKind.UniqueViolation => "unique-violation",
        StorageErrorKind.Transient => "transient",
        StorageErrorKind.Busy => "busy",
        StorageErrorKind.Full => "full",
        StorageErrorKind.ReadOnly => "read-only",
        StorageErrorKind.IoError => "io-error",
        _ => "other",
    };
}
