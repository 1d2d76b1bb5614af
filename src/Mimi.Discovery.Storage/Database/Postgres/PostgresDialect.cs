using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Mimi.Discovery.Storage.Postgres;

/// <summary>PostgreSQL through Npgsql, for several replicas sharing one database.</summary>
public sealed class PostgresDialect : SqlDialect, IAsyncDisposable
{
    // From this many rows a bulk insert is written with binary COPY rather than multi-row INSERTs (bulk import): far
    // fewer bytes and no SQL to parse.
    private const int CopyThreshold = 256;

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

    /// <summary>The pooled data source: tests clear its pool so that a server setting reaches new sessions.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

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

    internal override async Task InsertManyAsync(DbTransaction transaction, BulkTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count < CopyThreshold)
        {
            await base.InsertManyAsync(transaction, table, rows, ct);
            return;
        }

        // Inside the open transaction: the rows commit or roll back with everything else it wrote.
        var connection = (NpgsqlConnection)transaction.Connection!;
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table.Name} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            for (var c = 0; c < row.Length; c++)
            {
                await (row[c] switch
                {
                    null => copy.WriteNullAsync(ct),
                    var value => table.Types[c] switch
                    {
                        StoredType.Text => copy.WriteAsync((string)value, NpgsqlDbType.Text, ct),
                        StoredType.Int64 => copy.WriteAsync((long)value, NpgsqlDbType.Bigint, ct),
                        _ => copy.WriteAsync((byte[])value, NpgsqlDbType.Bytea, ct),
                    },
                });
            }
        }

        await copy.CompleteAsync(ct);
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
