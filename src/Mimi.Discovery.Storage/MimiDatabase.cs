using System.Data.Common;

namespace Mimi.Discovery.Storage;

/// <summary>The service's database: connections, write transactions, and error translation at one place.</summary>
public sealed class MimiDatabase
{
    /// <summary>Creates the database over a dialect.</summary>
    public MimiDatabase(SqlDialect dialect) => Dialect = dialect;

    /// <summary>The dialect in use.</summary>
    public SqlDialect Dialect { get; }

    internal async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = Dialect.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception e) when (Translate(e) is { } translated)
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
            return await read(connection);
        }
        catch (Exception e) when (Translate(e) is { } translated)
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
            return result;
        }
        catch (Exception e) when (Translate(e) is { } translated)
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

    private StorageException? Translate(Exception e) => e switch
    {
        StorageException => null,
        OperationCanceledException => null,
        _ => Dialect.Classify(e) is var kind && kind != StorageErrorKind.Other ? new StorageException(kind, e) : null,
    };
}

/// <summary>A recognised storage failure, translated once at the storage boundary.</summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageException(StorageErrorKind kind, Exception inner)
        : base($"Storage failure ({kind}): {inner.Message}", inner) => Kind = kind;

    /// <summary>What went wrong.</summary>
    public StorageErrorKind Kind { get; }
}

internal static class DbCommandExtensions
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static DbCommand Command(this DbTransaction transaction, string sql) => transaction.Connection!.Command(sql, transaction);

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    public static long? GetNullableInt64(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static string? GetNullableString(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static byte[]? GetNullableBytes(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : (byte[])reader.GetValue(ordinal);

    public static byte[] GetBytes(this DbDataReader reader, int ordinal) => (byte[])reader.GetValue(ordinal);
}

/// <summary>Multi-row VALUES lists with named parameters <c>@p{row}_{column}</c>, chunked under both databases' parameter limits.</summary>
internal static class MultiRow
{
    public const int ChunkSize = 200;

    public static string Values(int rows, int columns)
    {
        var text = new System.Text.StringBuilder(rows * columns * 8);
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++)
            {
                text.Append(c == 0 ? "@p" : ", @p").Append(r).Append('_').Append(c);
            }

            text.Append(')');
        }

        return text.ToString();
    }
}

/// <summary>Unix-millisecond conversions used for every stored time (one representation on both databases).</summary>
internal static class StoredTime
{
    public static long From(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset To(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static DateTimeOffset? To(long? milliseconds) => milliseconds is { } ms ? To(ms) : null;
}
