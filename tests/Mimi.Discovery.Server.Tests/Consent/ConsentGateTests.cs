using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Consent;
using Mimi.Discovery.Server.Delivery;
using Mimi.Discovery.Server.Peers;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Storage.Sqlite;

namespace Mimi.Discovery.Server.Tests.Consent;

/// <summary>The consent gate as the delivery core asks it, over a real (SQLite) store, with both users hosted here.</summary>
public sealed class ConsentGateTests : IAsyncLifetime
{
    private const string Alice = "mimi://gate.test/u/alice";
    private const string Bob = "mimi://gate.test/u/bob";
    private const string Remote = "mimi://far.test/u/carol";
    private const string Room = "mimi://gate.test/r/club";

    private readonly string _directory = Directory.CreateTempSubdirectory("mimi-gate-").FullName;
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<(string Target, string Requester)> _released = [];
    private HostedUserStore _users = null!;
    private ConsentService _consent = null!;

    public async Task InitializeAsync()
    {
        var database = new MimiDatabase(new SqliteDialect(Path.Combine(_directory, "gate.db")));
        await Migrations.ApplyAsync(database, NullLogger.Instance, CancellationToken.None);
        _users = new HostedUserStore(database);
        var time = TimeProvider.System;
        _consent = new ConsentService(new ConsentStore(database), new AbuseReportStore(database), _users, new Outbox(new OutboxStore(database), time), [new RecordingRelease(_released)],
            Options.Create(new DeliveryOptions { Domain = "gate.test" }), Options.Create(new ConsentOptions()),
            new ConsentMetrics(_meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), time, NullLogger<ConsentService>.Instance);
    }

    public Task DisposeAsync()
    {
        _meters.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private Task AddAsync(string user, ConsentMode mode) => _users.TryCreateUserAsync(new HostedUser(user, mode, DateTimeOffset.UtcNow), AuditActor.Service, default);

    [Fact]
    public async Task Consent_required_target_refuses_until_it_grants_and_releases_on_accept()
    {
        await AddAsync(Alice, ConsentMode.ConsentRequired);
        await AddAsync(Bob, ConsentMode.ConsentRequired);
        Assert.Equal(ConsentDecision.NoConsent, await _consent.CheckClaimAsync(Alice, Bob, null, default));
        Assert.False(await _consent.IsAcceptedAsync(Bob, Alice, default));

        Assert.Equal(ConsentState.Requested, await _consent.RequestAsync(new ConsentPair(Alice, Bob, null), default));
        Assert.Equal(ConsentDecision.NoConsent, await _consent.CheckClaimAsync(Alice, Bob, null, default));
        Assert.True(await _consent.AcceptAsync(new ConsentPair(Alice, Bob, null), default));

        Assert.Equal(ConsentDecision.Allowed, await _consent.CheckClaimAsync(Alice, Bob, Room, default));
        Assert.True(await _consent.IsAcceptedAsync(Bob, Alice, default));
        Assert.Equal((Bob, Alice), Assert.Single(_released));
        // Consent is directional: Bob still needs Alice's.
        Assert.Equal(ConsentDecision.NoConsent, await _consent.CheckClaimAsync(Bob, Alice, null, default));
    }

    [Fact]
    public async Task Unknown_target_is_no_consent_even_for_open_looking_requests()
    {
        Assert.Equal(ConsentDecision.NoConsent, await _consent.CheckClaimAsync(Alice, "mimi://gate.test/u/nobody", null, default));
        Assert.False(await _consent.IsAcceptedAsync("mimi://gate.test/u/nobody", Alice, default));
    }

    [Fact]
    public async Task Open_allows_quarantine_holds_and_blocks_refuse_in_every_mode()
    {
        await AddAsync(Alice, ConsentMode.Open);
        await AddAsync(Bob, ConsentMode.Quarantine);
        Assert.Equal(ConsentDecision.Allowed, await _consent.CheckClaimAsync(Remote, Alice, null, default));
        Assert.Equal(ConsentDecision.Quarantined, await _consent.CheckClaimAsync(Remote, Bob, null, default));

        await _consent.BlockAsync(Alice, "far.test", default);
        await _consent.BlockAsync(Bob, Remote, default);
        Assert.Equal(ConsentDecision.NoConsent, await _consent.CheckClaimAsync(Remote, Alice, null, default));
        Assert.Equal(ConsentDecision.NoConsent, await _consent.CheckClaimAsync(Remote, Bob, null, default));
        Assert.Equal(ConsentDecision.Allowed, await _consent.CheckClaimAsync("mimi://near.test/u/dave", Alice, null, default));
    }

    [Fact]
    public async Task A_room_scoped_grant_allows_that_room_only()
    {
        await AddAsync(Bob, ConsentMode.ConsentRequired);
        Assert.True(await _consent.AcceptAsync(new ConsentPair(Remote, Bob, Room), default));
        Assert.Equal(ConsentDecision.Allowed, await _consent.CheckClaimAsync(Remote, Bob, Room, default));
        Assert.Equal(ConsentDecision.ConsentNotForRoom, await _consent.CheckClaimAsync(Remote, Bob, "mimi://gate.test/r/other", default));
        Assert.Equal(ConsentDecision.ConsentNotForRoom, await _consent.CheckClaimAsync(Remote, Bob, null, default));
    }

    [Fact]
    public async Task Revocation_ends_consent_even_for_an_open_target()
    {
        await AddAsync(Bob, ConsentMode.Open);
        Assert.True(await _consent.AcceptAsync(new ConsentPair(Remote, Bob, null), default));
        Assert.True(await _consent.RevokeAsync(new ConsentPair(Remote, Bob, null), default));
        Assert.Equal(ConsentDecision.NoConsent, await _consent.CheckClaimAsync(Remote, Bob, null, default));
        Assert.False(await _consent.IsAcceptedAsync(Bob, Remote, default));
    }

    private sealed class RecordingRelease(List<(string, string)> released) : IQuarantineRelease
    {
        public Task ReleaseAsync(string targetUser, string requesterUser, CancellationToken ct)
        {
            released.Add((targetUser, requesterUser));
            return Task.CompletedTask;
        }
    }
}
