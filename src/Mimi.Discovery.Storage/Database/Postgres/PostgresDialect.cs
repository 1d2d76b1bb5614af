using System.Data.Common;
using Npgsql;

namespace Mimi.Discovery.Storage.Postgres;

/// <summary>PostgreSQL through Npgsql, for several replicas sharing one database.</summary>
public sealed class PostgresDialect : SqlDialect, IAsyncDisposable
{
    // Arbitrary, fixed key for pg_advisory_xact_lock: every replica migrating at once queues on it.
    private const long MigrationLockKey = 0x4D494D4944495343;
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the dialect over a pooled data source.</summary>
    public PostgresDialect(string connectionString)
    {
        // The hot paths repeat a handful of statements: let Npgsql prepare them (unless the operator chose otherwise).
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        // The service never changes session state, so a pooled connection need not be reset between uses.
        builder.NoResetOnClose = true;

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The pooled data source (bulk paths use it directly).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <inheritdoc />
    public override string Name => "postgres";

    internal override string Int64Type => "bigint";

    internal override string BytesType => "bytea";

    internal override string SerialKeyType => "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    internal override string ForUpdate => " FOR UPDATE";

    internal override DbConnection CreateConnection() => _dataSource.CreateConnection();

    internal override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(ct);

    internal override async Task LockForMigrationAsync(DbTransaction transaction, CancellationToken ct)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(@key)";
        command.Parameters.Add(new NpgsqlParameter("key", MigrationLockKey));
        await command.ExecuteNonQueryAsync(ct);
    }

    internal override StorageErrorKind Classify(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => StorageErrorKind.UniqueViolation,
        // Before IsTransient, which counts these too: they need an operator, not a retry.
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } => StorageErrorKind.Full,
        PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } => StorageErrorKind.ReadOnly,
        PostgresException { SqlState: PostgresErrorCodes.IoError or PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted } => StorageErrorKind.IoError,
        NpgsqlException { IsTransient: true } => StorageErrorKind.Transient,
        _ => StorageErrorKind.Other,
    };

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
