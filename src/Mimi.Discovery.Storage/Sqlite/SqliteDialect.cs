using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Mimi.Discovery.Storage.Sqlite;

/// <summary>The embedded default: one SQLite file in WAL mode, created on first use.</summary>
public sealed class SqliteDialect : SqlDialect
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteConstraint = 19;
    private readonly string _connectionString;

    /// <summary>Creates the dialect for a database file, creating its directory with owner-only permissions.</summary>
    public SqliteDialect(string databasePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        DatabasePath = databasePath;
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public override string Name => "sqlite";

    internal override string Int64Type => "INTEGER";

    internal override string BytesType => "BLOB";

    internal override string SerialKeyType => "INTEGER PRIMARY KEY AUTOINCREMENT";

    internal override string ForUpdate => "";

    internal override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    internal override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        // Microsoft.Data.Sqlite issues BEGIN IMMEDIATE for a non-deferred serializable transaction: the write lock
        // is taken up front, so two writers never deadlock upgrading a read lock.
        await Task.Yield();
        return ((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false);
    }

    internal override Task LockForMigrationAsync(DbTransaction transaction, CancellationToken ct) => Task.CompletedTask;

    internal override StorageErrorKind Classify(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint } => StorageErrorKind.UniqueViolation,
        SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } => StorageErrorKind.Transient,
        _ => StorageErrorKind.Other,
    };
}
