using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Mimi.Discovery.Resolution.Tests;

[Collection("dns")]
public sealed class CachingTests
{
    [Fact]
    public async Task Positive_answer_is_served_from_cache_until_its_ttl_expires()
    {
        await using var server = await DnsmasqServer.StartAsync(
        [
            "--srv-host=_mimi._tcp.ttl.test,old.ttl.test,1111,10,10",
            "--host-record=old.ttl.test,127.0.6.1",
        ], ttl: 60);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var resolver = new ProviderResolver(DnsFixture.Options(server, "127.0.0.0/8"), time);

        var first = await resolver.ResolveAsync("ttl.test");
        Assert.False(first.FromCache);
        Assert.Equal(TimeSpan.FromSeconds(60), first.TimeToLive);
        Assert.Equal(time.GetUtcNow().AddSeconds(60), first.ExpiresAt);

        // The zone changes; the cached answer still holds for its TTL.
        await server.RestartAsync(
        [
            "--srv-host=_mimi._tcp.ttl.test,new.ttl.test,2222,10,10",
            "--host-record=new.ttl.test,127.0.6.2",
        ]);
        time.Advance(TimeSpan.FromSeconds(59));
        var cached = await resolver.ResolveAsync("ttl.test");
        Assert.True(cached.FromCache);
        Assert.Equal("old.ttl.test", Assert.Single(cached.Candidates).Target);
        Assert.StartsWith("cache: answer for ttl.test cached, expires in 1 s", cached.Explanation[0], StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(2));
        var fresh = await resolver.ResolveAsync("ttl.test");
        Assert.False(fresh.FromCache);
        var candidate = Assert.Single(fresh.Candidates);
        Assert.Equal(("new.ttl.test", 2222), (candidate.Target, candidate.Port));
        Assert.Equal([IPAddress.Parse("127.0.6.2")], candidate.Addresses);
    }

    [Fact]
    public async Task Ttl_is_bounded_by_the_configured_maximum()
    {
        await using var server = await DnsmasqServer.StartAsync(
        [
            "--srv-host=_mimi._tcp.long.test,mimi.long.test,443,1,1",
            "--host-record=mimi.long.test,127.0.6.3",
        ], ttl: 86400);
        var options = DnsFixture.Options(server, "127.0.0.0/8");
        options.MaxPositiveTtl = TimeSpan.FromMinutes(5);
        using var resolver = new ProviderResolver(options, new FakeTimeProvider());

        var resolution = await resolver.ResolveAsync("long.test");

        Assert.Equal(TimeSpan.FromMinutes(5), resolution.TimeToLive);
    }

    [Fact]
    public async Task Negative_answer_is_cached_then_expires()
    {
        await using var server = await DnsmasqServer.StartAsync(["--host-record=neg.test,127.0.7.1"]);
        var time = new FakeTimeProvider();
        var options = DnsFixture.Options(server, "127.0.0.0/8");
        options.NegativeTtlWithoutSoa = TimeSpan.FromSeconds(30);
        options.NegativeTtlCap = TimeSpan.FromSeconds(20);
        using var resolver = new ProviderResolver(options, time);

        var first = await resolver.ResolveAsync("neg.test");
        Assert.Equal(ResolutionSource.Fallback, first.Source);
        // The cap wins over the configured SOA-less TTL.
        Assert.Equal(TimeSpan.FromSeconds(20), first.TimeToLive);

        await server.RestartAsync(
        [
            "--srv-host=_mimi._tcp.neg.test,mimi.neg.test,8443,1,1",
            "--host-record=mimi.neg.test,127.0.7.2",
        ]);
        time.Advance(TimeSpan.FromSeconds(19));
        var cached = await resolver.ResolveAsync("neg.test");
        Assert.True(cached.FromCache);
        Assert.Equal(ResolutionSource.Fallback, cached.Source);

        time.Advance(TimeSpan.FromSeconds(2));
        var fresh = await resolver.ResolveAsync("neg.test");
        Assert.Equal(ResolutionSource.Srv, fresh.Source);
        Assert.Equal("mimi.neg.test", Assert.Single(fresh.Candidates).Target);
    }

    [Fact]
    public async Task Cached_answers_are_reordered_on_every_call()
    {
        await using var server = await DnsmasqServer.StartAsync(
        [
            "--srv-host=_mimi._tcp.even.test,one.even.test,443,1,50",
            "--srv-host=_mimi._tcp.even.test,two.even.test,443,1,50",
            "--host-record=one.even.test,127.0.8.1",
            "--host-record=two.even.test,127.0.8.2",
        ]);
        using var resolver = new ProviderResolver(DnsFixture.Options(server, "127.0.0.0/8"), new FakeTimeProvider(), new Random(3));

        var firsts = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            var resolution = await resolver.ResolveAsync("even.test");
            Assert.True(i == 0 || resolution.FromCache);
            firsts.Add(resolution.Candidates[0].Target);
        }

        Assert.Equal(2, firsts.Count);
    }
}

public sealed class TtlCacheTests
{
    [Fact]
    public void Entries_expire_after_their_ttl()
    {
        var time = new FakeTimeProvider();
        var cache = new TtlCache<string>(time, 10);

        cache.Set("a", "A", TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(cache.TryGet("a", out var value, out _));
        Assert.Equal("A", value);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("a", out _, out _));
    }

    [Fact]
    public void Zero_ttl_is_not_stored()
    {
        var cache = new TtlCache<string>(new FakeTimeProvider(), 10);

        Assert.Null(cache.Set("a", "A", TimeSpan.Zero));
        Assert.False(cache.TryGet("a", out _, out _));
    }

    [Fact]
    public void Size_stays_bounded_and_evicts_expired_entries_first()
    {
        var time = new FakeTimeProvider();
        var cache = new TtlCache<string>(time, 10);
        for (var i = 0; i < 5; i++)
        {
            cache.Set($"short{i}", "s", TimeSpan.FromSeconds(1));
        }

        for (var i = 0; i < 5; i++)
        {
            cache.Set($"long{i}", "l", TimeSpan.FromHours(1));
        }

        time.Advance(TimeSpan.FromSeconds(2));
        cache.Set("new", "n", TimeSpan.FromHours(1));

        Assert.Equal(6, cache.Count);
        Assert.True(cache.TryGet("long0", out _, out _));

        for (var i = 0; i < 100; i++)
        {
            cache.Set($"more{i}", "m", TimeSpan.FromMinutes(i + 1));
            Assert.True(cache.Count <= 10);
        }

        Assert.True(cache.TryGet("more99", out _, out _));
    }
}

public sealed class SrvOrderingTests
{
    private static ResolutionCandidate Candidate(string target, int priority, int weight) =>
        new(target, 443, priority, weight, [IPAddress.Loopback]);

    [Fact]
    public void Priorities_are_ascending_whatever_the_weights()
    {
        var ordered = SrvOrdering.Order(
            [Candidate("c", 30, 1000), Candidate("a", 1, 0), Candidate("b", 2, 5)],
            max => max);

        Assert.Equal(["a", "b", "c"], ordered.Select(c => c.Target));
    }

    [Theory]
    [InlineData(0, "zero")]
    [InlineData(1, "ten")]
    [InlineData(10, "ten")]
    [InlineData(11, "thirty")]
    [InlineData(40, "thirty")]
    public void Running_sum_selects_the_first_record_reaching_the_random_number(int random, string expectedFirst)
    {
        // RFC 2782: weight-0 records go first; running sums here are 0, 10, 40.
        var ordered = SrvOrdering.Order(
            [Candidate("ten", 1, 10), Candidate("thirty", 1, 30), Candidate("zero", 1, 0)],
            max => Math.Min(random, max));

        Assert.Equal(expectedFirst, ordered[0].Target);
        Assert.Equal(3, ordered.Count);
    }

    [Fact]
    public void Random_number_is_drawn_from_zero_to_the_sum_of_remaining_weights()
    {
        var maxima = new List<int>();
        SrvOrdering.Order([Candidate("a", 1, 10), Candidate("b", 1, 30), Candidate("c", 1, 0)], max =>
        {
            maxima.Add(max);
            return 0;
        });

        // First draw over 40, then the zero-weight record is gone: 40 again, then 30 (the 10 was picked).
        Assert.Equal([40, 40, 30], maxima);
    }
}
