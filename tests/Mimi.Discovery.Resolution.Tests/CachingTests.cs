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
