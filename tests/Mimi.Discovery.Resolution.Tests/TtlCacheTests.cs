using Microsoft.Extensions.Time.Testing;

namespace Mimi.Discovery.Resolution.Tests;

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
