using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mimi.Discovery.Storage;

/// <summary>The service's database: connections, write transactions, and error translation at one place.</summary>
public sealed class MimiDatabase
{
    /// <summary>Creates the database over a dialect.</summary>
    /// <param name="dialect">The database in use.</param>
    /// <param name="logger">Where storage outages are reported (<see cref="StorageHealth"/>); none when null.</param>
    public MimiDatabase(SqlDialect dialect, ILogger<MimiDatabase>? logger = null)
    {
        Dialect = dialect;
        Health = new StorageHealth(logger ?? (ILogger)NullLogger.Instance);
    }

    /// <summary>The dialect in use.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>Whether storage is failing now, as every operation through this database sees it.</summary>
    public StorageHealth Health { get; }

    internal async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = Dialect.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception e) when (Translate(e, writing: false, connection) is { } translated)
        {
            await connection.DisposeAsync();
            throw translated;
        }
    }

    /// <summary>Runs <paramref name="read"/> on an open connection.</summary>
    internal async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        try
        {
            var result = await read(connection);
            Health.Succeeded(writing: false);
            return result;
        }
        catch (Exception e) when (Translate(e, writing: false, connection) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Runs <paramref name="write"/> in a serializing write transaction and commits it.</summary>
    internal async Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> write, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        try
        {
            await using var transaction = await Dialect.BeginWriteAsync(connection, ct);
            var result = await write(transaction);
            await transaction.CommitAsync(ct);
            Health.Succeeded(writing: true);
            return result;
        }
        catch (Exception e) when (Translate(e, writing: true, connection) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Checks that the database answers (readiness).</summary>
    public Task PingAsync(CancellationToken ct) => ReadAsync(async c =>
    {
        await using var command = c.Command("SELECT 1");
        return await command.ExecuteScalarAsync(ct);
    }, ct);

    /// <summary>
    /// Checks that the database takes a write (readiness while <see cref="Health"/> reports an outage): rewrites the
    /// one row of <c>storage_probe</c> in a committed transaction, which needs a page of space on a full disk and
    /// fails on a read-only one.
    /// </summary>
    public Task ProbeWriteAsync(CancellationToken ct) => WriteAsync(async tx =>
    {
        await using var command = tx.Command("UPDATE storage_probe SET written_at = @t WHERE id = 1").With("t", StoredTime.From(DateTimeOffset.UtcNow));
        return await command.ExecuteNonQueryAsync(ct);
    }, ct);

    // Translates once, and tells the health tracker of every outage-kind failure (a unique violation is an answer,
    // not a failure of storage). Pooled connections may have been opened in the failing state (SQLite opens a file
    // read-only when it cannot open it for writing, and stays so): the dialect drops them.
    private StorageException? Translate(Exception e, bool writing, DbConnection connection)
    {
        if (e is StorageException or OperationCanceledException || Dialect.Classify(e) is not (var kind and not StorageErrorKind.Other))
        {
            return null;
        }

        var translated = new StorageException(kind, e);
        StorageMetrics.Error(kind);

        // Contention (SQLite BUSY) is answered like an outage, but says nothing about the store's health: counting it
        // would flip readiness and log an outage at every busy moment of a loaded embedded service.
        if (translated.IsOutage && kind != StorageErrorKind.Busy)
        {
            Dialect.DiscardPooled(connection);
            Health.Failed(translated, writing);
        }

        return translated;
    }
}
