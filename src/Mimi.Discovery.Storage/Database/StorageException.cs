namespace Mimi.Discovery.Storage;

/// <summary>A recognised storage failure, translated once at the storage boundary.</summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    internal StorageException(StorageErrorKind kind, Exception inner)
        : base($"Storage failure ({kind}): {inner.Message}", inner) => Kind = kind;

    /// <summary>What went wrong.</summary>
    public StorageErrorKind Kind { get; }

    /// <summary>
    /// Whether the store cannot carry out operations now (unreachable, busy, full, read-only, I/O), rather than refusing
    /// this one operation: answered 503 and retried, never a bug.
    /// </summary>
    public bool IsOutage => Kind is not (StorageErrorKind.Other or StorageErrorKind.UniqueViolation);
}
