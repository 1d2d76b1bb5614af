using Microsoft.Extensions.Logging.Abstractions;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Storage.Postgres;
using Mimi.Discovery.Storage.Sqlite;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Storage;

/// <summary>The same behaviour on both databases: every test here runs against SQLite and against PostgreSQL.</summary>
public abstract partial class StorageContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);

    protected MimiDatabase Database { get; private set; } = null!;

    protected abstract Task<SqlDialect> CreateDialectAsync();

    public async Task InitializeAsync()
    {
        Database = new MimiDatabase(await CreateDialectAsync());
        await Migrations.ApplyAsync(Database, NullLogger.Instance, default);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Migrations_are_idempotent_and_safe_when_replicas_start_together()
    {
        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Migrations.ApplyAsync(Database, NullLogger.Instance, default)));

        Assert.All(applied, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task Providers_round_trip_and_every_change_bumps_the_revision()
    {
        var store = new ProviderStore(Database);
        var before = await store.GetRevisionAsync(default);
        var provider = new ProviderRecord("alpha.test", "Alpha", "ops@alpha.test", ProviderTrust.Trusted, ProviderStatus.Active, Now, Now,
            [new ProviderKeyRecord("k1", """{"kty":"EC"}""", Now, null)]);

        Assert.True(await store.CreateAsync(provider, AuditActor.Service, default));
        Assert.False(await store.CreateAsync(provider, AuditActor.Service, default));
        Assert.Equal(KeyChange.Done, await store.AddKeyAsync("alpha.test", new ProviderKeyRecord("k2", "{}", Now, null), AuditActor.Service, default));
        Assert.Equal(KeyChange.Duplicate, await store.AddKeyAsync("alpha.test", new ProviderKeyRecord("k2", "{}", Now, null), AuditActor.Service, default));
        Assert.Equal(KeyChange.NotFound, await store.AddKeyAsync("nobody.test", new ProviderKeyRecord("k3", "{}", Now, null), AuditActor.Service, default));
        Assert.Equal(KeyChange.Done, await store.RetireKeyAsync("alpha.test", "k1", Now, AuditActor.Service, default));
        Assert.True(await store.SetStatusAsync("alpha.test", ProviderStatus.Suspended, Now, AuditActor.Service, default));

        var loaded = await store.GetAsync("alpha.test", default);
        Assert.NotNull(loaded);
        Assert.Equal(ProviderStatus.Suspended, loaded.Status);
        Assert.Equal(ProviderTrust.Trusted, loaded.Trust);
        Assert.Equal(["k1", "k2"], loaded.Keys.Select(k => k.Kid));
        Assert.False(loaded.Keys[0].IsActive);
        Assert.Equal(before + 4, await store.GetRevisionAsync(default));
    }

    [Fact]
    public async Task A_jti_is_accepted_once()
    {
        var store = new ClientAssertionStore(Database);

        Assert.True(await store.TryRecordAsync("alpha.test", "j1", Now, default));
        Assert.False(await store.TryRecordAsync("alpha.test", "j1", Now, default));
        Assert.True(await store.TryRecordAsync("beta.test", "j1", Now, default));
    }

    [Fact]
    public async Task Concurrent_guesses_never_exceed_the_attempt_limit()
    {
        var store = new ChallengeStore(Database);
        await store.InsertAsync(new ChallengeRecord("c1", "alpha.test", "tel:+15550001111", "mimi://alpha.test/u/a", new byte[32], Now, Now.AddMinutes(10), 0, ChallengeState.Pending), default);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.BeginAttemptAsync("c1", 5, default)));

        Assert.Equal(5, attempts.Count(a => a is not null));
        Assert.Equal((1, 1), await store.CountSinceAsync("tel:+15550001111", "alpha.test", Now.AddMinutes(-1), default));
    }

    [Fact]
    public async Task Log_batches_get_consecutive_indices_and_the_head_root_matches_the_leaves()
    {
        var log = new LogStore(Database);
        var entries = Enumerable.Range(0, 700).Select(i => System.Text.Encoding.UTF8.GetBytes($"entry {i}")).ToList();

        var first = await log.AppendAsync(entries.Take(300).Select(Issue).ToList(), default);
        var second = await Task.WhenAll(Enumerable.Range(0, 4).Select(b => log.AppendAsync(entries.Skip(300 + b * 100).Take(100).Select(Issue).ToList(), default)));

        var indices = first.Concat(second.SelectMany(r => r)).Select(r => r.Index).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 700).Select(i => (long)i), indices);
        var stored = await log.ReadEntriesAsync(0, 700, default);
        var head = await log.GetHeadAsync(default);
        Assert.Equal(700, head.Size);
        Assert.Equal(MerkleHash.ComputeRoot(stored.Select(e => MerkleHash.LeafHash(e.Data)).ToList()), head.Root);
        var credential = await new CredentialStore(Database).GetAsync(Serial(stored[5].Data), default);
        Assert.Equal(5, credential!.LogIndex);
    }

    [Fact]
    public async Task Revoking_an_unknown_or_revoked_credential_is_not_logged()
    {
        var log = new LogStore(Database);
        await log.AppendAsync([Issue("a"u8.ToArray())], default);

        var results = await log.AppendAsync(
        [
            new RevokeCredentialWrite("r1"u8.ToArray(), Serial("a"u8.ToArray()), Now, "superseded"),
            new RevokeCredentialWrite("r2"u8.ToArray(), Serial("a"u8.ToArray()), Now, "superseded"),
            new RevokeCredentialWrite("r3"u8.ToArray(), "unknown", Now, "superseded"),
        ], default);

        Assert.Equal([true, false, false], results.Select(r => r.Applied));
        Assert.Equal(2, (await log.GetHeadAsync(default)).Size);
        var revoked = await new CredentialStore(Database).ListRevokedAsync(Now, default);
        Assert.Equal("superseded", Assert.Single(revoked).Reason);
    }

    [Fact]
    public async Task Every_credential_write_takes_the_next_change_sequence_and_changes_page_in_commit_order()
    {
        var log = new LogStore(Database);
        var credentials = new CredentialStore(Database);
        var start = await credentials.GetChangeSequenceAsync(default);
        var entries = Enumerable.Range(0, 300).Select(i => System.Text.Encoding.UTF8.GetBytes($"change {i}")).ToList();

        // One batch (binary COPY on PostgreSQL) shares one sequence number; paging inside it by serial loses nothing.
        await log.AppendAsync(entries.Select(Issue).ToList(), default);
        var batch = await credentials.GetChangeSequenceAsync(default);
        var paged = new List<MappingRow>();
        for (var (sequence, serial) = (start, (string?)null); ;)
        {
            var page = await credentials.ListChangesAsync(sequence, serial, 7, default);
            if (page.Count == 0)
            {
                break;
            }

            paged.AddRange(page);
            (sequence, serial) = (page[^1].ChangeSequence, page[^1].Serial);
        }

        Assert.Equal(start + 1, batch);
        Assert.Equal(entries.Select(Serial).Order(StringComparer.Ordinal), paged.Select(r => r.Serial).Order(StringComparer.Ordinal));
        Assert.All(paged, r => Assert.Equal(batch, r.ChangeSequence));

        var (first, second, third) = (Serial(entries[0]), Serial(entries[1]), Serial(entries[2]));
        await credentials.SetDiscoverabilityAsync(first, Discoverability.ListedProviders, ["beta.test"], Now, AuditActor.Service, default);
        await credentials.RemoveAsync(second, Now, AuditActor.Service, default);
        await log.AppendAsync([new RevokeCredentialWrite("r"u8.ToArray(), third, Now, "superseded")], default);

        var changes = await credentials.ListChangesAsync(batch, null, 100, default);
        Assert.Equal([first, second, third], changes.Select(c => c.Serial));
        Assert.Equal([batch + 1, batch + 2, batch + 3], changes.Select(c => c.ChangeSequence));
        Assert.Equal((Discoverability.ListedProviders, true), (changes[0].Discoverability, changes[0].IsActive));
        Assert.Equal(["beta.test"], changes[0].AllowedProviders);
        Assert.Equal([false, false], changes.Skip(1).Select(c => c.IsActive));
        var active = new List<MappingRow>();
        Assert.Equal(298, await credentials.ReadActiveMappingsAsync(Now, active.Add, default));
        Assert.DoesNotContain(active, r => r.Serial == second || r.Serial == third);
    }

    [Fact]
    public async Task Regression_not_null_and_check_failures_were_reported_as_unique_violations()
    {
        // SQLite's primary code 19 is every constraint failure: only a primary key or unique constraint is a unique
        // violation (an answer), the others are bugs, left untranslated (StorageErrorKind.Other).
        var notNull = await Record.ExceptionAsync(() => Database.WriteAsync(async tx =>
        {
            await using var insert = tx.Command("INSERT INTO log_entries (idx, data, created_at) VALUES (1000, NULL, 0)");
            return await insert.ExecuteNonQueryAsync();
        }, default));
        var check = await Record.ExceptionAsync(() => Database.WriteAsync(async tx =>
        {
            await using (var create = tx.Command(Database.Dialect.Ddl("CREATE TEMP TABLE check_probe (v {int64} CHECK (v > 0))")))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using var insert = tx.Command("INSERT INTO check_probe (v) VALUES (0)");
            return await insert.ExecuteNonQueryAsync();
        }, default));
        var duplicate = await Record.ExceptionAsync(() => Database.WriteAsync(async tx =>
        {
            await using var insert = tx.Command("INSERT INTO log_head (id, size, updated_at) VALUES (1, 0, 0)");
            return await insert.ExecuteNonQueryAsync();
        }, default));

        Assert.NotNull(notNull);
        Assert.NotNull(check);
        Assert.Equal(StorageErrorKind.Other, Database.Dialect.Classify(notNull));
        Assert.Equal(StorageErrorKind.Other, Database.Dialect.Classify(check));
        Assert.IsNotType<StorageException>(notNull);
        Assert.IsNotType<StorageException>(check);
        Assert.Equal(StorageErrorKind.UniqueViolation, Assert.IsType<StorageException>(duplicate).Kind);
        Assert.False(((StorageException)duplicate).IsOutage);
    }

    [Fact]
    public async Task Regression_a_message_id_delivered_twice_at_once_raised_a_unique_violation_instead_of_answering_duplicate()
    {
        var pair = new ConsentPair("mimi://beta.test/u/bo", "mimi://alpha.test/u/ann", null);
        var limits = new PendingLimits(10, 10);
        var consent = new ConsentStore(Database);

        // The first delivery has recorded the id and not committed yet when the second arrives.
        await using var connection = Database.Dialect.CreateConnection();
        await connection.OpenAsync();
        await using var first = await Database.Dialect.BeginWriteAsync(connection, default);
        await using (var record = first.Command("INSERT INTO inbound_messages (source, message_id, received_at) VALUES ('beta.test', 'm-1', 0)"))
        {
            await record.ExecuteNonQueryAsync();
        }

        var second = consent.ReceiveRequestAsync(pair, cancel: false, limits, "beta.test", "m-1", Now, default);
        await UntilWaitingAsync(second);
        await first.CommitAsync();

        Assert.Equal(IncomingOutcome.Duplicate, await second);
    }

    [Fact]
    public async Task A_rooms_state_is_written_only_over_the_state_it_was_computed_from_and_removals_are_recorded_at_their_epoch()
    {
        var rooms = new RoomStore(Database);
        const string room = "mimi://alpha.test/r/state";
        RoomMember Member(string name) => new($"mimi://alpha.test/d/{name}", "alpha.test");
        Assert.True(await rooms.TryCreateRoomAsync(new NewRoom(room, [7], 0, [1], [2], [3], [Member("a"), Member("b")]), Now, default));
        Assert.False(await rooms.TryCreateRoomAsync(new NewRoom(room, [7], 0, [1], [2], [3], [Member("a")]), Now, default));
        var created = (await rooms.FindRoomAsync(room, default))!;
        Assert.Equal(("03", 1L, "01", "02"), (Hex(created.State), created.StateSeq, Hex(created.GroupInfo), Hex(created.RatchetTree)));

        HubAcceptance Accept(long seq, bool commit, byte[] state, IReadOnlyList<RoomMember>? roster = null) =>
            new(room, "alpha.test", 0, commit, commit ? [4] : null, commit ? [5] : null, null, InboxKind.Handshake, [9], [9], [], [], []) { State = state, StateSeq = seq, Roster = roster };

        // Two changes computed from state 1: the first lands, the second (same epoch, stale state) changes nothing.
        Assert.True((await rooms.AcceptAsync(Accept(1, commit: false, [10]), Now, default)).Accepted);
        var stale = await rooms.AcceptAsync(Accept(1, commit: true, [11], [Member("a")]), Now, default);
        Assert.Equal((false, 0UL), (stale.Accepted, stale.CurrentEpoch));
        var proposed = (await rooms.FindRoomAsync(room, default))!;
        Assert.Equal(("0a", 2L, 0UL), (Hex(proposed.State), proposed.StateSeq, proposed.Epoch));

        // A commit over the current state advances the epoch; the roster drops b, recorded as removed at epoch 1.
        Assert.True((await rooms.AcceptAsync(Accept(2, commit: true, [12], [Member("a")]), Now, default)).Accepted);
        var after = (await rooms.FindRoomAsync(room, default))!;
        Assert.Equal(("0c", 3L, 1UL, "04", "05"), (Hex(after.State), after.StateSeq, after.Epoch, Hex(after.GroupInfo), Hex(after.RatchetTree)));
        Assert.Equal([Member("a").ClientUri], (await rooms.ListMembersAsync(room, default)).Select(m => m.ClientUri));
        Assert.Equal(1UL, await rooms.FindRemovalAsync(room, Member("b").ClientUri, default));
        Assert.Null(await rooms.FindRemovalAsync(room, Member("a").ClientUri, default));

        // Joining again clears the removal.
        await rooms.AddMembersAsync(room, [Member("b")], Now, default);
        Assert.Null(await rooms.FindRemovalAsync(room, Member("b").ClientUri, default));
    }

    [Fact]
    public async Task A_followers_state_is_written_with_its_notify_only_over_the_state_it_was_computed_from()
    {
        var rooms = new RoomStore(Database);
        var inbox = new InboxStore(Database);
        const string room = "mimi://beta.test/r/followed";
        const string ann = "mimi://alpha.test/d/ann";
        const string bob = "mimi://alpha.test/d/bob";
        await rooms.AddMembersAsync(room, [new RoomMember(ann, "alpha.test"), new RoomMember(bob, "alpha.test")], Now, default);
        Assert.Null(await rooms.FindFollowedRoomAsync(room, default));
        var message = new NotifyItem(InboxKind.Application, [1], "h-1", null, null);

        // The first state is inserted; a second first state (computed from none) is a conflict and delivers nothing.
        Assert.Equal([ann, bob], (await rooms.ApplyNotifyAsync("beta.test", "n-1", room, [message], new FollowedStateWrite([20], null), Now, default)).Notified);
        var conflict = await rooms.ApplyNotifyAsync("beta.test", "n-2", room, [message], new FollowedStateWrite([21], null), Now, default);
        Assert.Equal((true, 0), (conflict.StateConflict, conflict.Notified.Count));
        var followed = (await rooms.FindFollowedRoomAsync(room, default))!;
        Assert.Equal(("14", 1L), (Hex(followed.State), followed.StateSeq));

        // A commit removing bob reaches both, then bob is no member: the next message reaches ann only.
        var commit = new NotifyItem(InboxKind.Handshake, [2], "h-2", null, null) { Roster = new HashSet<string>([ann], StringComparer.Ordinal), Epoch = 4 };
        Assert.Equal([ann, bob], (await rooms.ApplyNotifyAsync("beta.test", "n-3", room, [commit, message], new FollowedStateWrite([22], 1), Now, default)).Notified.Take(2));
        Assert.Equal(4UL, await rooms.FindRemovalAsync(room, bob, default));
        Assert.Equal([ann], (await rooms.ListMembersAsync(room, default)).Select(m => m.ClientUri));
        Assert.Equal(2, (await inbox.ReadInboxAsync(bob, 0, 10, default)).Count);
        Assert.Equal(3, (await inbox.ReadInboxAsync(ann, 0, 10, default)).Count);
        var stale = await rooms.ApplyNotifyAsync("beta.test", "n-4", room, [message], new FollowedStateWrite([23], 1), Now, default);
        Assert.True(stale.StateConflict);
        Assert.Equal(2L, (await rooms.FindFollowedRoomAsync(room, default))!.StateSeq);
    }

    [Fact]
    public async Task A_franked_message_reaches_inboxes_with_its_frank_and_timestamp_directly_through_quarantine_and_at_a_follower()
    {
        var rooms = new RoomStore(Database);
        var inbox = new InboxStore(Database);
        const string room = "mimi://alpha.test/r/franked";
        RoomMember Member(string name) => new($"mimi://alpha.test/d/{name}", "alpha.test");
        var (ann, bob, carol) = (Member("ann"), Member("bob"), Member("carol"));
        Assert.True(await rooms.TryCreateRoomAsync(new NewRoom(room, [7], 0, [1], [2], [3], [ann, bob]), Now, default));

        // Bob adds carol, whose user has not accepted bob's: her Welcome, and the room's later items, wait in quarantine.
        var welcome = new InboxDelivery(carol.ClientUri, InboxKind.Welcome, room, [5], [6], Hold: true, "mimi://alpha.test/u/carol", "mimi://alpha.test/u/bob");
        Assert.True((await rooms.AcceptAsync(new HubAcceptance(room, "alpha.test", 0, true, [3], [4], bob.ClientUri, InboxKind.Handshake, [8], [8], [carol], [welcome], []),
            Now, default)).Accepted);
        byte[] frank = [.. Enumerable.Range(0, 40).Select(i => (byte)i)];
        const ulong accepted = 1_790_000_000_123;
        Assert.True((await rooms.AcceptAsync(new HubAcceptance(room, "alpha.test", 1, false, null, null, bob.ClientUri, InboxKind.Application, [9], [9], [], [], [])
        {
            Frank = frank,
            AcceptedTimestamp = accepted,
        }, Now, default)).Accepted);

        var atAnn = await inbox.ReadInboxAsync(ann.ClientUri, 0, 10, default);
        Assert.Equal([(InboxKind.Handshake, "", (ulong?)null), (InboxKind.Application, Hex(frank), accepted)], atAnn.Select(i => (i.Kind, Hex(i.Frank), i.AcceptedTimestamp)));
        Assert.Equal(2L, await inbox.CountHeldAsync(carol.ClientUri, default));
        Assert.Equal([carol.ClientUri], await inbox.ReleaseAsync("mimi://alpha.test/u/carol", "mimi://alpha.test/u/bob", Now, default));
        var atCarol = await inbox.ReadInboxAsync(carol.ClientUri, 0, 10, default);
        Assert.Equal([(InboxKind.Welcome, "", (ulong?)null), (InboxKind.Application, Hex(frank), accepted)], atCarol.Select(i => (i.Kind, Hex(i.Frank), i.AcceptedTimestamp)));

        // A follower delivers the frank and the hub's timestamp it was sent; any uint64 a hub sends comes back as sent.
        const string followed = "mimi://beta.test/r/franked";
        await rooms.AddMembersAsync(followed, [Member("dan")], Now, default);
        var item = new NotifyItem(InboxKind.Application, [10], "h-f", null, null) { Frank = frank, AcceptedTimestamp = ulong.MaxValue - 1 };
        Assert.Equal([Member("dan").ClientUri], (await rooms.ApplyNotifyAsync("beta.test", "n-f", followed, [item], null, Now, default)).Notified);
        var atDan = Assert.Single(await inbox.ReadInboxAsync(Member("dan").ClientUri, 0, 10, default));
        Assert.Equal((Hex(frank), (ulong?)(ulong.MaxValue - 1)), (Hex(atDan.Frank), atDan.AcceptedTimestamp));
    }

    private static string Hex(byte[]? bytes) => bytes is null ? "" : Convert.ToHexStringLower(bytes);

    /// <summary>Returns once <paramref name="writer"/> waits on the test's open write transaction (or has finished).</summary>
    protected abstract Task UntilWaitingAsync(Task writer);

    private static string Serial(byte[] entry) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(entry))[..16];

    private static IssueCredentialWrite Issue(byte[] entry) => new(entry, index => new CredentialRecord(
        Serial(entry), "alpha.test", "tel:+15550001111", "mimi://alpha.test/u/a", ["t"], Attestation.Provider, [1, 2, 3], "jws",
        Now, Now.AddDays(7), index, Now));
}

public sealed class SqliteStorageTests : StorageContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mimi-sqlite-").FullName;

    protected override Task<SqlDialect> CreateDialectAsync() => Task.FromResult<SqlDialect>(new SqliteDialect(Path.Combine(_directory, "test.db")));

    // SQLite serializes writers: the second waits for the write lock (its busy timeout) before it reads anything.
    protected override Task UntilWaitingAsync(Task writer) => Task.WhenAny(writer, Task.Delay(500));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageTests(PostgresServer server) : StorageContract
{
    private PostgresDialect? _dialect;

    protected override async Task<SqlDialect> CreateDialectAsync() => _dialect = new PostgresDialect(await server.CreateDatabaseAsync());

    protected override async Task UntilWaitingAsync(Task writer)
    {
        // Until a session of this test's database waits for a lock: the second delivery's insert on the first's key.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!writer.IsCompleted && DateTime.UtcNow < deadline)
        {
            var waiting = await Database.ReadAsync(async c =>
            {
                await using var query = c.Command("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
                return (long)(await query.ExecuteScalarAsync())!;
            }, default);
            if (waiting > 0)
            {
                return;
            }

            await Task.Delay(20);
        }
    }

    public override async Task DisposeAsync()
    {
        if (_dialect is not null)
        {
            await _dialect.DisposeAsync();
        }
    }
}
