using Microsoft.Data.Sqlite;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Storage.Sqlite;

namespace Mimi.Discovery.Server.Tests.Storage;

/// <summary>
/// SQLite's BUSY is contention on a working store (a WAL snapshot that cannot be upgraded to a write fails at once,
/// whatever the busy timeout): it is answered as a retryable storage problem, but is not an outage.
/// </summary>
public sealed class StorageBusyTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mimi-busy-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Regression_sqlite_busy_made_readiness_fail_and_logged_a_storage_outage()
    {
        var database = new MimiDatabase(new SqliteDialect(Path.Combine(_directory, "busy.db")));

        var busy = await Assert.ThrowsAsync<StorageException>(() =>
            database.WriteAsync<int>(_ => throw new SqliteException("database is locked", 5), CancellationToken.None));
        Assert.Equal(StorageErrorKind.Busy, busy.Kind);
        Assert.True(busy.IsOutage, "busy is answered 503 and retried like an outage");
        Assert.Null(database.Health.Outage);

        // The same path does record a real outage, so the assertion above is not vacuous.
        var io = await Assert.ThrowsAsync<StorageException>(() =>
            database.WriteAsync<int>(_ => throw new SqliteException("disk I/O error", 10), CancellationToken.None));
        Assert.Equal(StorageErrorKind.IoError, io.Kind);
        Assert.NotNull(database.Health.Outage);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
