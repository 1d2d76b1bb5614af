using System.Threading.RateLimiting;

namespace Mimi.Discovery.RateLimiting.Tests;

/// <summary>
/// What every backend must do, run once per backend. Time passes through <see cref="PassAsync"/>: a fake clock in
/// process, a real wait against Redis (whose script reads the server's clock), so Redis tests use short windows where
/// time must pass and windows of a day where it must not matter.
/// </summary>
public abstract class RateLimiterContract
{
    private static readonly RateLimitPolicy Daily = new(1000, TimeSpan.FromDays(1));
    private static readonly RateLimitPolicy Hourly = new(10, TimeSpan.FromHours(1));

    protected abstract KeyedRateLimiter Limiter { get; }

    /// <summary>Lets <paramref name="time"/> pass for the limiter.</summary>
    protected abstract Task PassAsync(TimeSpan time);

    [Fact]
    public async Task Grants_exactly_the_limit_under_heavy_concurrency()
    {
        var granted = 0;
        var refused = 0;
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var decision = await Limiter.AcquireAsync("lookup:alpha.test", Daily);
                Interlocked.Increment(ref decision.IsAllowed ? ref granted : ref refused);
            }
        })));

        Assert.Equal(1000, granted);
        Assert.Equal(4000, refused);
    }

    [Fact]
    public async Task Charges_requester_and_owner_together_under_concurrency_and_holds_both_limits()
    {
        var requester = new RateLimitPolicy(30, TimeSpan.FromDays(1));
        var ownerTotal = new RateLimitPolicy(500, TimeSpan.FromDays(1));
        var granted = new int[50];
        await Task.WhenAll(Enumerable.Range(0, 50).Select(r => Task.Run(async () =>
        {
            RateLimitRequest[] requests = [new($"owner-requester:beta.test:r{r}.test", requester), new("owner-total:beta.test", ownerTotal)];
            for (var attempt = 0; attempt < 20; attempt++)
            {
                if ((await Limiter.AcquireAsync(requests)).IsAllowed)
                {
                    granted[r]++;
                }
            }
        })));

        Assert.Equal(500, granted.Sum());
        Assert.Equal(0, (await Limiter.AcquireAsync("owner-total:beta.test", ownerTotal, 0)).Remaining);
        for (var r = 0; r < granted.Length; r++)
        {
            // Every requester paid exactly for what it was granted: refusals by the owner total charged nothing.
            Assert.Equal(30 - granted[r], (await Limiter.AcquireAsync($"owner-requester:beta.test:r{r}.test", requester, 0)).Remaining);
        }
    }

    [Fact]
    public async Task Counts_down_then_refuses_with_retry_after_and_nothing_remaining()
    {
        var policy = new RateLimitPolicy(3, TimeSpan.FromHours(1));
        for (var expected = 2; expected >= 0; expected--)
        {
            var decision = await Limiter.AcquireAsync("lookup:gamma.test", policy);
            Assert.True(decision.IsAllowed);
            Assert.Equal(RateLimitReason.WithinLimit, decision.Reason);
            Assert.Equal(expected, decision.Remaining);
            Assert.Equal(TimeSpan.Zero, decision.RetryAfter);
        }

        var refused = await Limiter.AcquireAsync("lookup:gamma.test", policy);

        Assert.False(refused.IsAllowed);
        Assert.Equal(RateLimitReason.LimitExceeded, refused.Reason);
        Assert.Equal(0, refused.Remaining);
        // One permit comes back every window / limit = 20 minutes.
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMinutes(19), TimeSpan.FromMinutes(20));
        Assert.InRange(refused.ResetAfter, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    /// <summary>
    /// The documented semantics (README, "Limits"): a quota of N per W is a token bucket holding N that refills
    /// continuously at N per W. A full burst of N is allowed at once, and the refill lets more through within the same
    /// window: up to 2N in any span of W, never more, and N per W on average.
    /// </summary>
    [Fact]
    public async Task Regression_quota_semantics_a_burst_of_N_and_a_refill_let_at_most_2N_through_in_one_window()
    {
        const int N = 10;
        var policy = new RateLimitPolicy(N, TimeSpan.FromSeconds(2));
        var burst = 0;
        while (burst <= N && (await Limiter.AcquireAsync("lookup:window.test", policy)).IsAllowed)
        {
            burst++;
        }

        Assert.Equal(N, burst);

        // Half a window later about half the quota has come back: more than N in one window, as documented.
        await PassAsync(TimeSpan.FromSeconds(1));
        var refill = 0;
        while (refill <= N && (await Limiter.AcquireAsync("lookup:window.test", policy)).IsAllowed)
        {
            refill++;
        }

        // Against Redis the wait is real and may overrun on a loaded machine: at least half, never more than the bound.
        Assert.InRange(refill, N / 2, N);
        Assert.InRange(burst + refill, N + (N / 2), 2 * N);
    }

    [Fact]
    public async Task Quota_is_whole_again_one_window_after_it_was_used()
    {
        var policy = new RateLimitPolicy(2, TimeSpan.FromSeconds(2));
        Assert.True((await Limiter.AcquireAsync("oprf:delta.test", policy)).IsAllowed);
        Assert.True((await Limiter.AcquireAsync("oprf:delta.test", policy)).IsAllowed);
        var refused = await Limiter.AcquireAsync("oprf:delta.test", policy);
        Assert.False(refused.IsAllowed);

        await PassAsync(refused.ResetAfter + TimeSpan.FromSeconds(1));

        var first = await Limiter.AcquireAsync("oprf:delta.test", policy);
        Assert.True(first.IsAllowed);
        Assert.Equal(1, first.Remaining);
        Assert.True((await Limiter.AcquireAsync("oprf:delta.test", policy)).IsAllowed);
        Assert.False((await Limiter.AcquireAsync("oprf:delta.test", policy)).IsAllowed);
    }

    [Fact]
    public async Task When_the_owner_total_is_exhausted_the_requester_quota_is_not_consumed()
    {
        var requester = new RateLimitPolicy(10, TimeSpan.FromHours(1));
        var ownerTotal = new RateLimitPolicy(2, TimeSpan.FromHours(1));
        RateLimitRequest[] fromA = [new("owner-requester:beta.test:a.test", requester), new("owner-total:beta.test", ownerTotal)];
        RateLimitRequest[] fromB = [new("owner-requester:beta.test:b.test", requester), new("owner-total:beta.test", ownerTotal)];
        Assert.True((await Limiter.AcquireAsync(fromA)).IsAllowed);
        Assert.True((await Limiter.AcquireAsync(fromA)).IsAllowed);

        var refused = await Limiter.AcquireAsync(fromB);

        Assert.False(refused.IsAllowed);
        Assert.Equal(RateLimitReason.LimitExceeded, refused.Reason);
        Assert.Equal(1, refused.KeyIndex);
        Assert.Equal(ownerTotal, refused.Policy);
        Assert.Equal(10, (await Limiter.AcquireAsync("owner-requester:beta.test:b.test", requester, 0)).Remaining);
        Assert.Equal(8, (await Limiter.AcquireAsync("owner-requester:beta.test:a.test", requester, 0)).Remaining);
    }

    [Fact]
    public async Task A_refused_requester_does_not_consume_the_owner_total()
    {
        var requester = new RateLimitPolicy(1, TimeSpan.FromHours(1));
        var ownerTotal = new RateLimitPolicy(5, TimeSpan.FromHours(1));
        RateLimitRequest[] requests = [new("owner-requester:beta.test:c.test", requester), new("owner-total:beta.test", ownerTotal)];
        Assert.True((await Limiter.AcquireAsync(requests)).IsAllowed);

        var refused = await Limiter.AcquireAsync(requests);

        Assert.False(refused.IsAllowed);
        Assert.Equal(0, refused.KeyIndex);
        Assert.Equal(4, (await Limiter.AcquireAsync("owner-total:beta.test", ownerTotal, 0)).Remaining);
    }

    [Fact]
    public async Task An_allowed_multi_key_decision_describes_the_partition_with_fewest_permits_left()
    {
        RateLimitRequest[] requests = [new("lookup:epsilon.test", Hourly), new("owner-total:zeta.test", new RateLimitPolicy(3, TimeSpan.FromHours(1)))];

        var decision = await Limiter.AcquireAsync(requests);

        Assert.True(decision.IsAllowed);
        Assert.Equal(1, decision.KeyIndex);
        Assert.Equal(3, decision.Limit);
        Assert.Equal(2, decision.Remaining);
    }

    [Fact]
    public async Task Quota_changed_at_run_time_applies_to_the_next_decision()
    {
        var quotas = new Dictionary<string, int> { ["keypackage:beta.test"] = 5 };
        using var limiter = new KeyedPartitionedRateLimiter(Limiter, key => new RateLimitPolicy(quotas[key], TimeSpan.FromHours(1)));
        Assert.Equal(5, await CountGrantedAsync(limiter, "keypackage:beta.test", 10));

        quotas["keypackage:beta.test"] = 8;
        Assert.Equal(3, await CountGrantedAsync(limiter, "keypackage:beta.test", 10));

        quotas["keypackage:beta.test"] = 2;
        using var lowered = await limiter.AcquireAsync("keypackage:beta.test");
        Assert.False(lowered.IsAcquired);
        Assert.True(lowered.TryGetMetadata(KeyedPartitionedRateLimiter.DecisionMetadataName, out var decision));
        Assert.Equal(2, decision.Limit);
        Assert.Equal(0, decision.Remaining);
    }

    [Fact]
    public async Task Decision_carries_consistent_rate_limit_header_data()
    {
        RateLimitDecision decision = default;
        for (var i = 0; i < 3; i++)
        {
            decision = await Limiter.AcquireAsync("lookup:eta.test", Hourly);
        }

        Assert.True(decision.IsAllowed);
        Assert.Equal(Hourly, decision.Policy);
        Assert.Equal(10, decision.Limit);
        Assert.Equal(7, decision.Remaining);
        Assert.Equal(TimeSpan.Zero, decision.RetryAfter);
        // Three permits drain back in 3/10 of the window.
        Assert.InRange(decision.ResetAfter, TimeSpan.FromMinutes(17), TimeSpan.FromMinutes(18));
        Assert.Equal(0, decision.KeyIndex);
    }

    [Fact]
    public async Task Asking_with_zero_permits_reports_without_consuming()
    {
        for (var i = 0; i < 3; i++)
        {
            var peek = await Limiter.AcquireAsync("lookup:theta.test", Hourly, 0);
            Assert.True(peek.IsAllowed);
            Assert.Equal(10, peek.Remaining);
        }

        Assert.Equal(10, await CountGrantedAsync(Limiter, "lookup:theta.test", Hourly, 20));
        Assert.False((await Limiter.AcquireAsync("lookup:theta.test", Hourly, 0)).IsAllowed);
    }

    [Fact]
    public async Task Asking_for_more_than_the_limit_is_refused_without_consuming()
    {
        var refused = await Limiter.AcquireAsync("lookup:iota.test", Hourly, 11);

        Assert.False(refused.IsAllowed);
        Assert.Equal(RateLimitReason.LimitExceeded, refused.Reason);
        Assert.Equal(Hourly.Window, refused.RetryAfter);
        Assert.True((await Limiter.AcquireAsync("lookup:iota.test", Hourly, 10)).IsAllowed);
        Assert.Equal(0, (await Limiter.AcquireAsync("lookup:iota.test", Hourly, 0)).Remaining);
    }

    [Fact]
    public async Task A_zero_limit_refuses_everything()
    {
        var blocked = new RateLimitPolicy(0, TimeSpan.FromMinutes(1));

        var decision = await Limiter.AcquireAsync("owner-requester:beta.test:blocked.test", blocked);

        Assert.False(decision.IsAllowed);
        Assert.Equal(RateLimitReason.LimitExceeded, decision.Reason);
        Assert.Equal(0, decision.Remaining);
        Assert.Equal(blocked.Window, decision.RetryAfter);
    }

    [Fact]
    public async Task Partitions_are_independent()
    {
        Assert.Equal(10, await CountGrantedAsync(Limiter, "lookup:kappa.test", Hourly, 11));

        var other = await Limiter.AcquireAsync("lookup:lambda.test", Hourly);

        Assert.True(other.IsAllowed);
        Assert.Equal(9, other.Remaining);
    }

    [Fact]
    public async Task Synchronous_acquisition_shares_the_counters_of_the_asynchronous_one()
    {
        var first = Limiter.Acquire("lookup:mu.test", Hourly, 4);
        var second = Limiter.Acquire([new RateLimitRequest("lookup:mu.test", Hourly, 6), new RateLimitRequest("lookup:nu.test", Hourly)]);
        var third = await Limiter.AcquireAsync("lookup:mu.test", Hourly);

        Assert.Equal(6, first.Remaining);
        Assert.True(second.IsAllowed);
        Assert.Equal(0, second.Remaining);
        Assert.False(third.IsAllowed);
    }

    [Fact]
    public async Task Partitioned_adapter_leases_carry_the_decision_and_retry_after()
    {
        using var limiter = new KeyedPartitionedRateLimiter(Limiter, _ => new RateLimitPolicy(1, TimeSpan.FromHours(1)));

        using var granted = limiter.AttemptAcquire("lookup:xi.test");
        using var refused = await limiter.AcquireAsync("lookup:xi.test");

        Assert.True(granted.IsAcquired);
        Assert.True(granted.TryGetMetadata(KeyedPartitionedRateLimiter.DecisionMetadataName, out var decision));
        Assert.Equal(0, decision.Remaining);
        Assert.False(granted.TryGetMetadata(MetadataName.RetryAfter, out _));
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.True(refused.TryGetMetadata(MetadataName.ReasonPhrase, out var reason));
        Assert.Equal("Rate limit exceeded", reason);
        Assert.Contains(MetadataName.RetryAfter.Name, refused.MetadataNames);
        Assert.Null(limiter.GetStatistics("lookup:xi.test"));
    }

    [Fact]
    public async Task New_items_pay_once_and_a_resync_is_free_even_with_the_quota_spent()
    {
        RateLimitRequest[] requester = [new("lookup:iota.test", new RateLimitPolicy(3, TimeSpan.FromHours(1)), 0)];
        RateLimitItem[] book = [new("a", [0]), new("b", [0]), new("c", [0])];

        var first = await Limiter.AcquireNewAsync("seen:iota.test", TimeSpan.FromHours(1), requester, book);
        var resync = await Limiter.AcquireNewAsync("seen:iota.test", TimeSpan.FromHours(1), requester, book);
        var refused = await Limiter.AcquireNewAsync("seen:iota.test", TimeSpan.FromHours(1), requester, new[] { new RateLimitItem("d", [0]), book[0] });

        Assert.Equal((true, 0), (first.IsAllowed, first.Remaining));
        Assert.Equal((true, 0, TimeSpan.Zero), (resync.IsAllowed, resync.Remaining, resync.RetryAfter));
        Assert.True(resync.ResetAfter > TimeSpan.Zero);
        Assert.Equal((false, RateLimitReason.LimitExceeded), (refused.IsAllowed, refused.Reason));
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMinutes(19), TimeSpan.FromMinutes(20)); // one permit for d, none for a
    }

    [Fact]
    public async Task Owners_are_charged_only_for_new_hits_all_or_nothing_and_a_refusal_remembers_nothing()
    {
        var requester = new RateLimitPolicy(10, TimeSpan.FromHours(1));
        var total = new RateLimitPolicy(2, TimeSpan.FromHours(1));
        RateLimitRequest[] partitions = [new("lookup:kappa.test", requester, 0), new("owner-total:beta.test", total, 0)];

        var first = await Limiter.AcquireNewAsync("seen:kappa.test", TimeSpan.FromHours(1), partitions, new[] { new RateLimitItem("hit1", [0, 1]), new RateLimitItem("miss1", [0]) });
        var refused = await Limiter.AcquireNewAsync("seen:kappa.test", TimeSpan.FromHours(1), partitions,
            new[] { new RateLimitItem("hit1", [0, 1]), new RateLimitItem("hit2", [0, 1]), new RateLimitItem("hit3", [0, 1]) });
        var misses = await Limiter.AcquireNewAsync("seen:kappa.test", TimeSpan.FromHours(1), partitions, new[] { new RateLimitItem("miss2", [0]) });
        var last = await Limiter.AcquireNewAsync("seen:kappa.test", TimeSpan.FromHours(1), partitions, new[] { new RateLimitItem("hit2", [0, 1]) });
        var spent = await Limiter.AcquireNewAsync("seen:kappa.test", TimeSpan.FromHours(1), partitions, new[] { new RateLimitItem("hit3", [0, 1]) });

        Assert.Equal((true, 1, 1), (first.IsAllowed, first.KeyIndex, first.Remaining));
        Assert.Equal((false, 1), (refused.IsAllowed, refused.KeyIndex)); // two new hits, one left in the owner's total
        Assert.Equal((true, 0, 7), (misses.IsAllowed, misses.KeyIndex, misses.Remaining)); // the owner's total, not consulted
        Assert.Equal((true, 1, 0), (last.IsAllowed, last.KeyIndex, last.Remaining)); // hit2 was not remembered by the refusal
        Assert.False(spent.IsAllowed);
        Assert.Equal(6, (await Limiter.AcquireAsync("lookup:kappa.test", requester, 0)).Remaining);
    }

    [Fact]
    public async Task The_same_new_item_raced_from_many_callers_is_paid_for_once()
    {
        var policy = new RateLimitPolicy(100, TimeSpan.FromDays(1));
        RateLimitRequest[] partitions = [new("lookup:lambda.test", policy, 0), new("owner-total:beta.test", policy, 0)];
        var decisions = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(async () =>
            await Limiter.AcquireNewAsync("seen:lambda.test", TimeSpan.FromDays(1), partitions, new[] { new RateLimitItem("same", [0, 1]) }))));

        Assert.All(decisions, d => Assert.True(d.IsAllowed));
        Assert.All(decisions, d => Assert.Equal(99, d.Remaining)); // the free ones report the quota as it stands
        Assert.Equal(99, (await Limiter.AcquireAsync("lookup:lambda.test", policy, 0)).Remaining);
        Assert.Equal(99, (await Limiter.AcquireAsync("owner-total:beta.test", policy, 0)).Remaining);
    }

    [Fact]
    public async Task A_batch_may_charge_more_partitions_than_a_plain_acquisition()
    {
        var policy = new RateLimitPolicy(5, TimeSpan.FromHours(1));
        var partitions = new[] { new RateLimitRequest("lookup:mu.test", new RateLimitPolicy(100, TimeSpan.FromHours(1)), 0) }
            .Concat(Enumerable.Range(0, 2 * KeyedRateLimiter.MaxKeysPerAcquisition).Select(o => new RateLimitRequest($"owner-total:o{o}.test", policy, 0))).ToArray();
        var items = Enumerable.Range(0, 2 * KeyedRateLimiter.MaxKeysPerAcquisition).Select(o => new RateLimitItem($"hit{o}", [0, o + 1])).ToArray();

        var decision = await Limiter.AcquireNewAsync("seen:mu.test", TimeSpan.FromHours(1), partitions, items);

        Assert.True(decision.IsAllowed);
        Assert.Equal(4, decision.Remaining);
        Assert.Equal(68, (await Limiter.AcquireAsync("lookup:mu.test", partitions[0].Policy, 0)).Remaining);
        Assert.Equal(4, (await Limiter.AcquireAsync($"owner-total:o{2 * KeyedRateLimiter.MaxKeysPerAcquisition - 1}.test", policy, 0)).Remaining);
    }

    [Fact]
    public async Task Items_seen_are_forgotten_when_the_set_expires()
    {
        RateLimitRequest[] requester = [new("lookup:nu.test", new RateLimitPolicy(10, TimeSpan.FromDays(1)), 0)];
        RateLimitItem[] item = [new("a", [0])];
        Assert.Equal(9, (await Limiter.AcquireNewAsync("seen:nu.test", TimeSpan.FromSeconds(1), requester, item)).Remaining);
        Assert.Equal(9, (await Limiter.AcquireNewAsync("seen:nu.test", TimeSpan.FromSeconds(1), requester, item)).Remaining);

        await PassAsync(TimeSpan.FromSeconds(1.5));

        Assert.Equal(8, (await Limiter.AcquireNewAsync("seen:nu.test", TimeSpan.FromSeconds(1), requester, item)).Remaining);
    }

    private static async Task<int> CountGrantedAsync(PartitionedRateLimiter<string> limiter, string key, int attempts)
    {
        var granted = 0;
        for (var i = 0; i < attempts; i++)
        {
            using var lease = await limiter.AcquireAsync(key);
            granted += lease.IsAcquired ? 1 : 0;
        }

        return granted;
    }

    private static async Task<int> CountGrantedAsync(KeyedRateLimiter limiter, string key, RateLimitPolicy policy, int attempts)
    {
        var granted = 0;
        for (var i = 0; i < attempts; i++)
        {
            granted += (await limiter.AcquireAsync(key, policy)).IsAllowed ? 1 : 0;
        }

        return granted;
    }
}
