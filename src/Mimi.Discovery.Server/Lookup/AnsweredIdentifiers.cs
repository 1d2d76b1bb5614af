using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;
using StackExchange.Redis;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>
/// Re-sync without penalty: per requester and window, keyed hashes of the identifiers already answered, so an
/// address-book re-sync pays only for identifiers new to the requester. Hashes are keyed (HMAC) so the set reveals
/// no identifier even to someone reading Redis.
/// </summary>
internal abstract class AnsweredIdentifiers(ServiceKeys keys, IOptions<LookupOptions> options, TimeProvider time)
{
    private readonly byte[] _key = HMACSHA256.HashData(keys.CodeHashKey, "mimi-discovery answered identifiers"u8);

    /// <summary>For each identifier, whether this requester was answered it in the current window.</summary>
    public abstract ValueTask<bool[]> AreKnownAsync(string requester, IReadOnlyList<string> hashes, CancellationToken ct);

    /// <summary>Records identifiers as answered for the current window.</summary>
    public abstract ValueTask RememberAsync(string requester, IReadOnlyList<string> hashes, CancellationToken ct);

    public string Hash(string requester, string sii) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(requester + "\n" + sii)).AsSpan(0, 16));

    protected long WindowIndex(out TimeSpan remaining)
    {
        var window = options.Value.Window.Ticks;
        var now = time.GetUtcNow().UtcTicks;
        remaining = TimeSpan.FromTicks(window - (now % window));
        return now / window;
    }
}

/// <summary>The embedded default: in memory, this window and the previous one only.</summary>
internal sealed class InProcessAnsweredIdentifiers(ServiceKeys keys, IOptions<LookupOptions> options, TimeProvider time)
    : AnsweredIdentifiers(keys, options, time)
{
    private readonly ConcurrentDictionary<(string Requester, long Window), ConcurrentDictionary<string, byte>> _sets = new();

    public override ValueTask<bool[]> AreKnownAsync(string requester, IReadOnlyList<string> hashes, CancellationToken ct)
    {
        var set = _sets.GetValueOrDefault((requester, WindowIndex(out _)));
        return ValueTask.FromResult(hashes.Select(h => set?.ContainsKey(h) ?? false).ToArray());
    }

    public override ValueTask RememberAsync(string requester, IReadOnlyList<string> hashes, CancellationToken ct)
    {
        var window = WindowIndex(out _);
        var set = _sets.GetOrAdd((requester, window), _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        foreach (var hash in hashes)
        {
            set.TryAdd(hash, 0);
        }

        foreach (var stale in _sets.Keys.Where(k => k.Window < window))
        {
            _sets.TryRemove(stale, out _);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Shared by every replica: one Redis set per requester and window, expiring with the window.</summary>
internal sealed class RedisAnsweredIdentifiers(IConnectionMultiplexer redis, ServiceKeys keys, IOptions<LookupOptions> options,
    IOptions<RedisOptions> redisOptions, TimeProvider time) : AnsweredIdentifiers(keys, options, time)
{
    public override async ValueTask<bool[]> AreKnownAsync(string requester, IReadOnlyList<string> hashes, CancellationToken ct)
    {
        try
        {
            return await redis.GetDatabase().SetContainsAsync(Key(requester, out _), hashes.Select(h => (RedisValue)h).ToArray());
        }
        catch (RedisException)
        {
            // Unknown is the conservative answer: the requester is charged, nothing leaks.
            return new bool[hashes.Count];
        }
    }

    public override async ValueTask RememberAsync(string requester, IReadOnlyList<string> hashes, CancellationToken ct)
    {
        if (hashes.Count == 0)
        {
            return;
        }

        try
        {
            var key = Key(requester, out var remaining);
            var batch = redis.GetDatabase().CreateBatch();
            var add = batch.SetAddAsync(key, hashes.Select(h => (RedisValue)h).ToArray());
            var expire = batch.KeyExpireAsync(key, remaining);
            batch.Execute();
            await Task.WhenAll(add, expire);
        }
        catch (RedisException)
        {
            // Not remembering only means the next re-sync pays again.
        }
    }

    private RedisKey Key(string requester, out TimeSpan remaining) =>
        $"{redisOptions.Value.KeyPrefix}answered:{requester}:{WindowIndex(out remaining)}";
}
