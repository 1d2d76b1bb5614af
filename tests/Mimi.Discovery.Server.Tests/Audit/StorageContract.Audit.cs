using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Tests.Storage;

/// <summary>The audit trail's storage, on both databases: appends in the act's transaction, filters and pages.</summary>
public abstract partial class StorageContract
{
    [Fact]
    public async Task Events_round_trip_newest_first_with_their_actor_and_change()
    {
        var store = new AuditStore(Database);
        var actor = new AuditActor("operator", "operator", "0af7651916cd43dd8448eb211c80319c");
        await store.RecordAsync(actor, new AuditEvent(AuditActions.ProviderSuspend, "provider:alpha.test", "alpha.test",
            AuditChange.Of(("status", "active")), AuditChange.Of(("status", "suspended"))), Now, default);
        await store.RecordAsync(AuditActor.Service, new AuditEvent(AuditActions.OprfRotate, AuditTargets.OprfKey, null, null,
            AuditChange.Of(("keyId", "k2"), ("count", 3L), ("flag", true), ("list", new[] { "a", "b" }))), Now.AddSeconds(1), default);

        var page = await store.QueryAsync(new AuditQuery(10), default);

        Assert.Null(page.Next);
        Assert.Equal([AuditActions.OprfRotate, AuditActions.ProviderSuspend], page.Events.Select(e => e.Event.Action));
        var suspend = page.Events[1];
        Assert.Equal(actor, suspend.Actor);
        Assert.Equal(Now, suspend.Time);
        Assert.Equal(("provider:alpha.test", "alpha.test"), (suspend.Event.Target, suspend.Event.Owner));
        Assert.Equal("""{"status":"active"}""", suspend.Event.Before!.Value.GetRawText());
        Assert.Equal("""{"status":"suspended"}""", suspend.Event.After!.Value.GetRawText());
        var rotate = page.Events[0];
        Assert.Equal(AuditActor.Service, rotate.Actor);
        Assert.Null(rotate.Event.Before);
        Assert.Null(rotate.Event.Owner);
        Assert.Equal("""{"keyId":"k2","count":3,"flag":true,"list":["a","b"]}""", rotate.Event.After!.Value.GetRawText());
        Assert.True(rotate.Id > suspend.Id);
    }

    [Fact]
    public async Task Filters_combine_and_pages_follow_the_cursor_without_gaps_or_repeats()
    {
        var store = new AuditStore(Database);
        for (var i = 0; i < 25; i++)
        {
            var owner = i % 2 == 0 ? "alpha.test" : "beta.test";
            var actor = i % 3 == 0 ? new AuditActor("operator", "operator", null) : new AuditActor(owner, "provider", "r" + i);
            var action = i % 5 == 0 ? AuditActions.QuotaSet : AuditActions.MappingRemove;
            await store.RecordAsync(actor, new AuditEvent(action, AuditTargets.Provider(owner), owner, null, AuditChange.Of(("i", i))),
                Now.AddMinutes(i), default);
        }

        var all = new List<AuditEventRecord>();
        long? cursor = null;
        do
        {
            var page = await store.QueryAsync(new AuditQuery(7, Before: cursor), default);
            Assert.True(page.Events.Count <= 7);
            all.AddRange(page.Events);
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 25).Reverse(), all.Select(Index));
        Assert.Equal(25, all.Select(e => e.Id).Distinct().Count());

        var alpha = await store.QueryAsync(new AuditQuery(100, Owner: "alpha.test"), default);
        Assert.Equal(Enumerable.Range(0, 25).Where(i => i % 2 == 0).Reverse(), alpha.Events.Select(Index));

        var byOperator = await store.QueryAsync(new AuditQuery(100, Actor: "operator", Action: AuditActions.QuotaSet), default);
        Assert.Equal([15, 0], byOperator.Events.Select(Index));

        var window = await store.QueryAsync(new AuditQuery(100, Target: "provider:beta.test", Since: Now.AddMinutes(5), Until: Now.AddMinutes(11)), default);
        Assert.Equal([11, 9, 7, 5], window.Events.Select(Index));

        var exact = await store.QueryAsync(new AuditQuery(4, Owner: "beta.test"), default);
        Assert.Equal([23, 21, 19, 17], exact.Events.Select(Index));
        var rest = await store.QueryAsync(new AuditQuery(100, Owner: "beta.test", Before: exact.Next), default);
        Assert.Equal([15, 13, 11, 9, 7, 5, 3, 1], rest.Events.Select(Index));
        Assert.Null(rest.Next);
    }

    [Fact]
    public async Task An_event_appended_in_a_transaction_that_rolls_back_is_not_recorded()
    {
        var store = new AuditStore(Database);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Database.WriteAsync<bool>(async tx =>
        {
            await AuditStore.AppendAsync(tx, AuditActor.Service, new AuditEvent(AuditActions.OprfRotate, AuditTargets.OprfKey, null, null, null), Now, default);
            throw new InvalidOperationException("the act fails after its event was appended");
        }, default));

        Assert.Empty((await store.QueryAsync(new AuditQuery(10), default)).Events);
    }

    private static int Index(AuditEventRecord e) => e.Event.After!.Value.GetProperty("i").GetInt32();
}
