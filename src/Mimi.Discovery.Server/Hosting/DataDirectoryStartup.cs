using Microsoft.Data.Sqlite;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Storage.Sqlite;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// Turns a data directory the embedded store cannot use at start-up (read-only, full, not writable by the service)
/// into one line naming the directory and the cause, instead of an unhandled exception.
/// </summary>
internal static class DataDirectoryStartup
{
    private const string DatabaseFile = "mimi-discovery.db";

    // SQLite result codes that say the file or its directory cannot be used: PERM, READONLY, IOERR, CORRUPT, FULL,
    // CANTOPEN, NOTADB. Anything else is not the directory's fault and keeps its stack trace.
    private static readonly int[] UnusableCodes = [3, 8, 10, 11, 13, 14, 26];

    /// <summary>The SQLite dialect on <paramref name="dataDirectory"/>, which it creates (0700) when missing.</summary>
    public static SqliteDialect OpenSqlite(string dataDirectory)
    {
        var directory = Path.GetFullPath(dataDirectory);
        try
        {
            return new SqliteDialect(Path.Combine(directory, DatabaseFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unusable(directory, e.Message, e);
        }
    }

    /// <summary>The start-up error for <paramref name="exception"/>, or null when it is not the data directory's fault.</summary>
    public static StartupException? Describe(Exception exception, string dataDirectory)
    {
        // The storage boundary translates SQLite's errors (StorageException); SQLite's own is inside.
        if ((exception is StorageException { InnerException: { } inner } ? inner : exception) is not SqliteException sqlite
            || !UnusableCodes.Contains(sqlite.SqliteErrorCode))
        {
            return null;
        }

        var directory = Path.GetFullPath(dataDirectory);
        return Unusable(directory, Probe(directory) is { } cause ? $"{cause} ({sqlite.Message})" : sqlite.Message, exception);
    }

    private static StartupException Unusable(string directory, string cause, Exception exception) =>
        new($"Data directory '{directory}' (Storage:DataDirectory) cannot be used: {cause}", exception);

    /// <summary>
    /// What the operating system says when a byte is written beside the database: SQLite's own words ("unable to open
    /// database file") do not say whether the directory is read-only, missing or full.
    /// </summary>
    private static string? Probe(string directory)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(directory, ".write-check"), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            probe.WriteByte(0);
            probe.Flush(flushToDisk: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}
