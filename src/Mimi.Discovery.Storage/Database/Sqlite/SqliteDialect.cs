using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Mimi.Discovery.Storage.Sqlite;

/// <summary>The embedded default: one SQLite file in WAL mode, created on first use.</summary>
public sealed class SqliteDialect : SqlDialect
{
    // Primary result codes (https://sqlite.org/rescode.html); an extended code carries its primary one in the low byte.
    private const int SqlitePerm = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteConstraint = 19;
    private const int SqliteNotADb = 26;

    // Extended codes of the constraint violations that mean "the row exists already"; NOT NULL, CHECK and foreign
    // keys are bugs, not conflicts.
    private const int SqliteConstraintPrimaryKey = SqliteConstraint | (6 << 8);
    private const int SqliteConstraintUnique = SqliteConstraint | (8 << 8);
    private const int SqliteConstraintRowId = SqliteConstraint | (10 << 8);
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

    // WAL lets readers proceed during a write; the setting is stored in the file, once.
    internal override string? PreMigrationStatement => "PRAGMA journal_mode=WAL;";

    internal override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    internal override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        // Microsoft.Data.Sqlite issues BEGIN IMMEDIATE for a non-deferred serializable transaction: the write lock
        // is taken up front, so two writers never deadlock upgrading a read lock.
        await Task.Yield();
        return ((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false);
    }

    internal override Task LockForMigrationAsync(DbTransaction transaction, CancellationToken ct) => Task.CompletedTask;

    // A connection opened while the file could not be written is a read-only connection for good; one that met a full
    // disk or an I/O error is suspect. The pool closes the idle ones now and the others when they are returned, so
    // the first operation after recovery opens a fresh file handle. (Npgsql drops broken connections itself.)
    internal override void DiscardPooled(DbConnection connection) => SqliteConnection.ClearPool((SqliteConnection)connection);

    internal override StorageErrorKind Classify(Exception exception) => exception is SqliteException sqlite
        ? (sqlite.SqliteErrorCode & 0xFF) switch
        {
            SqliteConstraint when sqlite.SqliteExtendedErrorCode is SqliteConstraintPrimaryKey or SqliteConstraintUnique or SqliteConstraintRowId => StorageErrorKind.UniqueViolation,
            SqliteBusy or SqliteLocked => StorageErrorKind.Busy,
            SqliteFull => StorageErrorKind.Full,
            SqliteReadOnly => StorageErrorKind.ReadOnly,
            SqliteIoErr or SqliteCantOpen or SqliteCorrupt or SqliteNotADb or SqlitePerm => StorageErrorKind.IoError,
            _ => StorageErrorKind.Other,
        }
        : StorageErrorKind.Other;
}
