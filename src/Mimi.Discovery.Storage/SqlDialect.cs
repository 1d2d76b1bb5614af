using System.Data.Common;

namespace Mimi.Discovery.Storage;

/// <summary>What differs between the two supported databases; everything else is shared SQL.</summary>
public abstract class SqlDialect
{
    /// <summary>Short name used in logs and health output ("sqlite", "postgres").</summary>
    public abstract string Name { get; }

    /// <summary>Column type for 64-bit integers.</summary>
    internal abstract string Int64Type { get; }

    /// <summary>Column type for byte strings.</summary>
    internal abstract string BytesType { get; }

    /// <summary>Column definition of an auto-assigned, increasing 64-bit primary key.</summary>
    internal abstract string SerialKeyType { get; }

    /// <summary>Row-locking suffix for a SELECT inside a write transaction ("" where the transaction already holds the write lock).</summary>
    internal abstract string ForUpdate { get; }

    /// <summary>Creates an unopened connection.</summary>
    internal abstract DbConnection CreateConnection();

    /// <summary>Opens a transaction that serializes with every other writer of the same rows.</summary>
    internal abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Takes the migration lock inside <paramref name="transaction"/> (advisory lock or an exclusive database lock).</summary>
    internal abstract Task LockForMigrationAsync(DbTransaction transaction, CancellationToken ct);

    /// <summary>Translates a provider exception once, at the storage boundary.</summary>
    internal abstract StorageErrorKind Classify(Exception exception);

    /// <summary>After a storage outage met on <paramref name="connection"/>: drops the pooled connections that may carry its state into recovery.</summary>
    internal virtual void DiscardPooled(DbConnection connection)
    {
    }

    internal string Ddl(string sql) => sql.Replace("{int64}", Int64Type, StringComparison.Ordinal)
                                         .Replace("{bytes}", BytesType, StringComparison.Ordinal)
                                         .Replace("{serial}", SerialKeyType, StringComparison.Ordinal);
}

/// <summary>Storage failures the callers act on.</summary>
/// <remarks>
/// Every kind but <see cref="Other"/> and <see cref="UniqueViolation"/> is an outage of the store itself, not of one
/// request: it is answered 503, fails readiness until storage works again, and is logged once per outage
/// (<see cref="StorageHealth"/>).
/// </remarks>
public enum StorageErrorKind
{
    /// <summary>Not a storage error we recognise.</summary>
    Other,
    /// <summary>A primary key or unique constraint refused the write.</summary>
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
