namespace Mimi.Discovery.Storage;

/// <summary>Storage failures the callers act on.</summary>
/// <remarks>
/// Every kind but <see cref="Other"/> and <see cref="UniqueViolation"/> is an outage of the store itself, not of one
/// request: it is answered 503, fails readiness until storage works again, and is logged once per outage
/// (<see cref="StorageHealth"/>).
/// </remarks>
public enum StorageErrorKind
{
    /// <summary>
    /// Not a storage error we recognise: among them a NOT NULL, CHECK or foreign-key failure, which is a bug, not a
    /// conflict (SQLite reports all of them as result code 19; only its extended codes tell them apart).
    /// </summary>
    Other,
    /// <summary>
    /// A primary key or unique constraint refused the write (SQLite's SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE or _ROWID;
    /// PostgreSQL's 23505). Stores answer expected duplicates as values; one that reaches a caller is a bug.
    /// </summary>
    UniqueViolation,
    /// <summary>The database is unreachable or restarting; the operation may be retried.</summary>
    Transient,
    /// <summary>
    /// Another writer holds the database (SQLite BUSY or LOCKED, which a WAL snapshot upgrade meets at once, without
    /// waiting): contention on a working store, not an outage; the operation may be retried.
    /// </summary>
    Busy,
    /// <summary>The disk holding the database is full (SQLITE_FULL; PostgreSQL 53100 disk_full).</summary>
    Full,
    /// <summary>The database refuses writes: a read-only file or file system (SQLITE_READONLY), or a read-only PostgreSQL server such as a standby (25006).</summary>
    ReadOnly,
    /// <summary>The database file cannot be opened, read or written (SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_CORRUPT, SQLITE_NOTADB; PostgreSQL 58030 io_error, XX001/XX002 corrupted data).</summary>
    IoError,
}
