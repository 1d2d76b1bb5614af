using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Authority.ProofOfControl;
using Mimi.Discovery.Server.Purge;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Storage.Postgres;
using Mimi.Discovery.Storage.Sqlite;
using Npgsql;

namespace Mimi.Discovery.Server.Tests.Purge;

/// <summary>The purge on both databases: what expired or outlived its retention goes, the rest stays, dedupe holds within retention.</summary>
public abstract class PurgeContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
    private const string Room = "mimi://alpha.test/r/purge";
    private const string Client = "mimi://alpha.test/d/ann-phone";

    private readonly FakeTimeProvider _time = new(Now);

    protected MimiDatabase Database { get; private set; } = null!;

    protected abstract Task<SqlDialect> CreateDialectAsync();

    /// <summary>A connection of the test's own, outside the service's storage API, to see which rows are left.</summary>
    protected abstract DbConnection Connect();

    public async Task InitializeAsync()
    {
        Database = new MimiDatabase(await CreateDialectAsync());
        await Migrations.ApplyAsync(Database, NullLogger.Instance, default);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Expired_and_outlived_rows_go_in_batches_and_live_ones_stay_in_every_table()
    {
        var keyPackages = new KeyPackageStore(Database);
        var rooms = new RoomStore(Database);
        await keyPackages.AddKeyPackagesAsync(
        [
            KeyPackage("kp-expired-1", lastResort: false, Now.AddMinutes(-1)),
            KeyPackage("kp-expired-2", lastResort: false, Now.AddDays(-3)),
            KeyPackage("kp-expired-last-resort", lastResort: true, Now.AddSeconds(-1)),
            KeyPackage("kp-live", lastResort: false, Now.AddDays(1)),
            KeyPackage("kp-live-last-resort", lastResort: true, Now.AddDays(30)),
        ], Now.AddDays(-10), default);
        await keyPackages.RecordClaimsAsync([Claim("claim-old-1"), Claim("claim-old-2")], Now.AddDays(-8), default);
        await keyPackages.RecordClaimsAsync([Claim("claim-recent")], Now.AddDays(-6), default);
        await rooms.RecordSentAsync("hash-old", Client, Now.AddDays(-8), default);
        await rooms.RecordSentAsync("hash-recent", Client, Now.AddHours(-1), default);
        await rooms.ApplyNotifyAsync("beta.test", "message-old", Room, [], null, Now.AddDays(-32), default);
        await rooms.ApplyNotifyAsync("beta.test", "message-recent", Room, [], null, Now.AddDays(-30), default);
        await rooms.GrantGroupInfoAsync(new GroupInfoGrant(Room, "mimi://beta.test/d/unused", "beta.test", [1]), Now.AddSeconds(-1), default);
        await rooms.GrantGroupInfoAsync(new GroupInfoGrant(Room, "mimi://beta.test/d/live", "beta.test", [2]), Now.AddMinutes(5), default);

        var jtis = new ClientAssertionStore(Database);
        await jtis.TryRecordAsync("alpha.test", "jti-expired", Now.AddSeconds(-1), default);
        await jtis.TryRecordAsync("peer:beta.test", "jti-peer-expired", Now.AddMinutes(-1), default);
        await jtis.TryRecordAsync("alpha.test", "jti-live", Now.AddMinutes(1), default);

        // Challenges count against the send limits for a send window (1 h) after the code's lifetime (10 min).
        var challenges = new ChallengeStore(Database);
        await challenges.InsertAsync(Challenge("challenge-old", Now.AddMinutes(-71)), default);
        await challenges.InsertAsync(Challenge("challenge-in-window", Now.AddMinutes(-30)), default);

        var outbox = new OutboxStore(Database);
        await outbox.EnqueueAsync(
        [
            new NewOutboxMessage("failed-long-ago", "beta.test", "notify", Room, [1]),
            new NewOutboxMessage("failed-yesterday", "gamma.test", "notify", Room, [2]),
            new NewOutboxMessage("still-pending", "delta.test", "notify", Room, [3]),
        ], Now.AddDays(-40), default);
        var due = (await outbox.ClaimDueAsync(Now.AddDays(-40), Now.AddDays(-40), 10, default)).ToDictionary(m => m.MessageId, m => m.Sequence);
        await outbox.FailAsync(due["failed-long-ago"], "refused", Now.AddDays(-31), default);
        await outbox.FailAsync(due["failed-yesterday"], "refused", Now.AddDays(-1), default);

        // Import progress is kept for the inbound-message retention (31 days) after an import's last batch.
        await ExecuteAsync($"""
            INSERT INTO import_progress (provider, import_id, through_line, imported, rejected, created_at, updated_at) VALUES
            ('alpha.test', 'import-idle', 10, 10, 0, 0, {Now.AddDays(-32).ToUnixTimeMilliseconds()}),
            ('alpha.test', 'import-recent', 10, 10, 0, 0, {Now.AddDays(-30).ToUnixTimeMilliseconds()})
            """);

        // Console sign-in links and sessions go once expired, used, ended or not.
        var console = new ConsoleStore(Database);
        await console.CreateSignInLinkAsync([1], "operator", Now.AddMinutes(-40), Now.AddMinutes(-35), default);
        await console.CreateSignInLinkAsync([2], "operator", Now.AddMinutes(-1), Now.AddMinutes(4), default);
        await console.CreateSignInLinkAsync([3], "operator", Now.AddMinutes(-32), Now.AddMinutes(-27), default);
        await console.SignInAsync([3], [13], "0d", Now.AddMinutes(-31), TimeSpan.FromMinutes(30), "operator", null, default);
        await console.CreateSignInLinkAsync([4], "operator", Now.AddMinutes(-2), Now.AddMinutes(3), default);
        await console.SignInAsync([4], [14], "0e", Now.AddMinutes(-1), TimeSpan.FromMinutes(30), "operator", null, default);

        // Batches of two: three expired KeyPackages take two batches, and every one goes.
        var worker = Worker(new PurgeOptions { BatchSize = 2 });
        var deleted = await worker.RunOnceAsync(default);

        Assert.Equal(new Dictionary<PurgeTarget, int>
        {
            [PurgeTarget.ExpiredKeyPackages] = 3,
            [PurgeTarget.KeyPackageClaims] = 2,
            [PurgeTarget.SentMessages] = 1,
            [PurgeTarget.InboundMessages] = 1,
            [PurgeTarget.ClientAssertions] = 2,
            [PurgeTarget.Challenges] = 1,
            [PurgeTarget.FailedOutboxMessages] = 1,
            [PurgeTarget.GroupInfoGrants] = 1,
            [PurgeTarget.ImportProgress] = 1,
            [PurgeTarget.ConsoleSignInLinks] = 2,
            [PurgeTarget.ConsoleSessions] = 1,
        }, deleted);
        Assert.Equal(["kp-live", "kp-live-last-resort"], await KeysAsync("SELECT kp_ref FROM key_packages ORDER BY kp_ref"));
        Assert.Equal(["claim-recent"], await KeysAsync("SELECT kp_ref FROM key_package_claims"));
        Assert.Equal(["hash-recent"], await KeysAsync("SELECT hash FROM sent_messages"));
        Assert.Equal(["message-recent"], await KeysAsync("SELECT message_id FROM inbound_messages"));
        Assert.Equal(["jti-live"], await KeysAsync("SELECT jti FROM client_assertions"));
        Assert.Equal(["challenge-in-window"], await KeysAsync("SELECT id FROM challenges"));
        Assert.Equal(["mimi://beta.test/d/live"], await KeysAsync("SELECT client_uri FROM group_info_grants"));
        Assert.Equal(["failed-yesterday", "still-pending"], await KeysAsync("SELECT message_id FROM outbox ORDER BY message_id"));
        Assert.Equal(["import-recent"], await KeysAsync("SELECT import_id FROM import_progress"));
        Assert.Equal(2, (await KeysAsync("SELECT operator_id FROM console_sign_in_links")).Count);
        Assert.Single(await KeysAsync("SELECT operator_id FROM console_sessions"));
        Assert.NotNull(await console.FindSessionAsync([14], Now, default));
        Assert.Equal("failed-yesterday", Assert.Single(await outbox.ListFailedAsync(10, default)).MessageId);
        Assert.Equal(new KeyPackageCount(1, 1), await keyPackages.CountKeyPackagesAsync(Client, Now, default));

        // A second run finds nothing more.
        Assert.All((await worker.RunOnceAsync(default)).Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task A_notify_retried_within_the_retention_is_applied_once_and_its_id_is_forgotten_after_it()
    {
        var rooms = new RoomStore(Database);
        var inbox = new InboxStore(Database);
        await rooms.AddMembersAsync(Room, [new RoomMember(Client, "alpha.test")], Now, default);
        var item = new NotifyItem(InboxKind.Application, [1, 2, 3], "hash-1", null, null);
        var worker = Worker(new PurgeOptions());

        Assert.Equal([Client], (await rooms.ApplyNotifyAsync("beta.test", "message-1", Room, [item], null, Now, default)).Notified);

        // The hub's outbox retries for up to its MaxAge; a purge inside the retention keeps the id, so the retry is a no-op.
        _time.Advance(new PurgeOptions().InboundMessageRetention - TimeSpan.FromHours(1));
        Assert.Equal(0, (await worker.RunOnceAsync(default))[PurgeTarget.InboundMessages]);
        Assert.Empty((await rooms.ApplyNotifyAsync("beta.test", "message-1", Room, [item], null, _time.GetUtcNow(), default)).Notified);
        Assert.Single(await inbox.ReadInboxAsync(Client, 0, 10, default));

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await worker.RunOnceAsync(default))[PurgeTarget.InboundMessages]);
    }

    [Fact]
    public async Task Regression_import_progress_was_never_purged()
    {
        // Written the only way it is written: in the log transaction of an import's batch, stamped with the wall clock.
        var progress = new ImportProgressStore(Database);
        await new LogStore(Database).AppendAsync([], new ImportMark("alpha.test", "import-1", 1, 10, 0), default);
        var written = (await progress.GetAsync("alpha.test", "import-1", default))!.UpdatedAt;
        var retention = new PurgeOptions().InboundMessageRetention;
        var time = new FakeTimeProvider(written + retention - TimeSpan.FromHours(1));
        var worker = Worker(new PurgeOptions(), time);

        // Within the retention the import can still be resumed where it stopped.
        Assert.Equal(0, (await worker.RunOnceAsync(default))[PurgeTarget.ImportProgress]);
        Assert.Equal(10, (await progress.GetAsync("alpha.test", "import-1", default))?.ThroughLine);

        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await worker.RunOnceAsync(default))[PurgeTarget.ImportProgress]);
        Assert.Null(await progress.GetAsync("alpha.test", "import-1", default));
    }

    private PurgeWorker Worker(PurgeOptions options, TimeProvider? time = null) =>
        new(new PurgeStore(Database), Options.Create(options), Options.Create(new ProofOfControlOptions()), time ?? _time, NullLogger<PurgeWorker>.Instance);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> KeysAsync(string sql)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static NewKeyPackage KeyPackage(string kpRef, bool lastResort, DateTimeOffset notAfter) =>
        new(kpRef, Client, 1, [0, 1], lastResort, notAfter);

    private static KeyPackageClaim Claim(string kpRef) => new(kpRef, "mimi://beta.test/d/bo-phone", "mimi://alpha.test/u/ann", Room);

    private static ChallengeRecord Challenge(string id, DateTimeOffset expiresAt) =>
        new(id, "alpha.test", "tel:+15550001111", "mimi://alpha.test/u/ann", new byte[32], expiresAt.AddMinutes(-10), expiresAt, 0, ChallengeState.Pending);
}

public sealed class SqlitePurgeTests : PurgeContract, IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("mimi-purge-").FullName, "test.db");

    protected override Task<SqlDialect> CreateDialectAsync() => Task.FromResult<SqlDialect>(new SqliteDialect(_path));

    protected override DbConnection Connect() => new SqliteConnection($"Data Source={_path}");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresPurgeTests(PostgresServer server) : PurgeContract
{
    private PostgresDialect? _dialect;
    private string _connectionString = "";

    protected override async Task<SqlDialect> CreateDialectAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        return _dialect = new PostgresDialect(_connectionString);
    }

    protected override DbConnection Connect() => new NpgsqlConnection(_connectionString);

    public override async Task DisposeAsync()
    {
        if (_dialect is not null)
        {
            await _dialect.DisposeAsync();
        }
    }
}

/// <summary>The purge as the service runs it: on its interval, through a failure, and stopping with the service.</summary>
public sealed class PurgeWorkerTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("mimi-purge-worker-").FullName, "test.db");

    [Fact]
    public async Task The_worker_runs_on_its_interval_logs_a_failed_run_carries_on_and_stops_cleanly()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var database = new MimiDatabase(new SqliteDialect(_path));
        var logger = new ListLogger<PurgeWorker>();
        using var worker = new PurgeWorker(new PurgeStore(database), Options.Create(new PurgeOptions()), Options.Create(new ProofOfControlOptions()), time, logger);
        await worker.StartAsync(default);

        // No schema yet: the run fails, is logged, and the worker keeps going.
        await Loopback.WaitUntilAsync(() =>
        {
            time.Advance(new PurgeOptions().Interval);
            return Task.FromResult(logger.Entries.Any(e => e.Event.Id == 1005));
        }, TimeSpan.FromSeconds(10), () => "no failed run was logged");
        Assert.False(worker.ExecuteTask!.IsCompleted);

        await Migrations.ApplyAsync(database, NullLogger.Instance, default);
        var jtis = new ClientAssertionStore(database);
        await jtis.TryRecordAsync("alpha.test", "expired", time.GetUtcNow().AddSeconds(-1), default);
        await jtis.TryRecordAsync("alpha.test", "live", time.GetUtcNow().AddDays(1), default);
        await Loopback.WaitUntilAsync(() =>
        {
            time.Advance(new PurgeOptions().Interval);
            return Task.FromResult(logger.Entries.Any(e => e.Event.Id == 1006));
        }, TimeSpan.FromSeconds(10), () => "nothing was purged");
        Assert.False(await jtis.TryRecordAsync("alpha.test", "live", time.GetUtcNow(), default));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await worker.StopAsync(timeout.Token);
        Assert.True(worker.ExecuteTask.IsCompletedSuccessfully);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }
}
