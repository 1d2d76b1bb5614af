using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Mimi.Discovery.Resolution;

/// <summary>A size-bounded cache whose entries expire after their own time to live, on a <see cref="TimeProvider"/> clock.</summary>
internal sealed class TtlCache<TValue>
    where TValue : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _evictionLock = new();
    private readonly TimeProvider _time;
    private readonly int _capacity;

    public TtlCache(TimeProvider time, int capacity)
    {
        _time = time;
        _capacity = capacity;
    }

    public int Count => _entries.Count;

    public bool TryGet(string key, [NotNullWhen(true)] out TValue? value, out DateTimeOffset expiresAt)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresAt > _time.GetUtcNow())
            {
                value = entry.Value;
                expiresAt = entry.ExpiresAt;
                return true;
            }

            _entries.TryRemove(KeyValuePair.Create(key, entry));
        }

        value = null;
        expiresAt = default;
        return false;
    }

    /// <summary>Stores <paramref name="value"/> for <paramref name="ttl"/>; a zero TTL stores nothing. Returns the expiry, if stored.</summary>
    public DateTimeOffset? Set(string key, TValue value, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
        {
            _entries.TryRemove(key, out _);
            return null;
        }

        if (_entries.Count >= _capacity && !_entries.ContainsKey(key))
        {
            Evict();
        }

        var expiresAt = _time.GetUtcNow() + ttl;
        _entries[key] = new Entry(value, expiresAt);
        return expiresAt;
    }

    public void Clear() => _entries.Clear();

    private void Evict()
    {
        lock (_evictionLock)
        {
            if (_entries.Count < _capacity)
            {
                return;
            }

            var now = _time.GetUtcNow();
            foreach (var (key, entry) in _entries)
            {
                if (entry.ExpiresAt <= now)
                {
                    _entries.TryRemove(KeyValuePair.Create(key, entry));
                }
            }

            // Still full: drop the entries closest to expiry, leaving a tenth of the room free so that
            // eviction does not run on every insert.
            var target = Math.Max(0, _capacity - Math.Max(1, _capacity / 10));
            var excess = _entries.Count - target;
            if (excess <= 0)
            {
                return;
            }

            foreach (var (key, entry) in _entries.OrderBy(e => e.Value.ExpiresAt).Take(excess).ToList())
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }

    private sealed record Entry(TValue Value, DateTimeOffset ExpiresAt);
}
