using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// How a storage outage looks on the wire, in problem answers and in readiness alike: its own problem kind when an
/// operator must act on the disk (full, read-only), <see cref="ProblemKinds.StorageUnavailable"/> otherwise.
/// </summary>
internal static class StorageProblems
{
    public static string Kind(StorageErrorKind kind) => kind switch
    {
        StorageErrorKind.Full => ProblemKinds.StorageFull,
        StorageErrorKind.ReadOnly => ProblemKinds.StorageReadOnly,
        _ => ProblemKinds.StorageUnavailable,
    };

    public static string Detail(StorageErrorKind kind) => kind switch
    {
        StorageErrorKind.Full => "The service's storage is full, so the request was not carried out; retry once space has been freed.",
        StorageErrorKind.ReadOnly => "The service's storage refuses writes (read-only), so the request was not carried out; retry later.",
        StorageErrorKind.IoError => "The service's storage cannot be read or written, so the request was not carried out; retry later.",
        StorageErrorKind.Busy => "The database is busy with other writes; retry shortly.",
        _ => "The database is unavailable; retry shortly.",
    };
}
