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

    /// <summary>
    /// A statement run before migrating, outside any transaction (SQLite's journal mode, which the file keeps); null
    /// where the database needs none.
    /// </summary>
    internal virtual string? PreMigrationStatement => null;

    /// <summary>
    /// Inserts <paramref name="rows"/> (values in <paramref name="table"/>'s column order) inside
    /// <paramref name="transaction"/>, with one multi-row INSERT per chunk rather than one round trip per row; a
    /// database with a faster bulk path takes it for large batches.
    /// </summary>
    internal virtual async Task InsertManyAsync(DbTransaction transaction, BulkTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var width = table.Types.Count;
        foreach (var chunk in rows.Chunk(MultiRow.ChunkSize))
        {
            await using var insert = transaction.Command($"INSERT INTO {table.Name} ({table.ColumnList}) VALUES " + MultiRow.Values(chunk.Length, width));
            for (var r = 0; r < chunk.Length; r++)
            {
                for (var c = 0; c < width; c++)
                {
                    insert.With(MultiRow.Parameter(r, c), chunk[r][c]);
                }
            }

            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    internal string Ddl(string sql) => sql.Replace("{int64}", Int64Type, StringComparison.Ordinal)
                                         .Replace("{bytes}", BytesType, StringComparison.Ordinal)
                                         .Replace("{serial}", SerialKeyType, StringComparison.Ordinal);
}
