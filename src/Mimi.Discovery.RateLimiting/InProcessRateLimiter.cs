using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// Token buckets in this process's memory: the embedded default, where one process serves every request.
/// Thread-safe; each partition has its own lock, so unrelated partitions never contend. A partition is forgotten once
/// its permits have drained back (swept every <see cref="InProcessRateLimiterOptions.SweepInterval"/>), so memory holds
/// only the partitions used within the last window.
/// </summary>
public sealed class InProcessRateLimiter : KeyedRateLimiter
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SeenSet> _seen = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;

    /// <summary>Creates the limiter and starts its sweep timer.</summary>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public InProcessRateLimiter(InProcessRateLimiterOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new InProcessRateLimiterOptions();
        options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _sweeper = _time.CreateTimer(static state => ((InProcessRateLimiter)state!).Sweep(), this, options.SweepInterval, options.SweepInterval);
    }

    /// <summary>The number of partitions held in memory.</summary>
    public int PartitionCount => _buckets.Count;

    /// <inheritdoc/>
    protected override RateLimitDecision AcquireCore(RateLimitRequest request)
    {
        while (true)
        {
            var bucket = _buckets.GetOrAdd(request.Key, static _ => new Bucket());
            lock (bucket)
            {
                if (bucket.Evicted)
                {
                    continue;
                }

                var now = _time.GetTimestamp();
                var used = bucket.UsedAt(now, request.Policy, _time);
                var allowed = TokenBucket.Fits(used, request.Permits, request.Policy);
                if (allowed && request.Permits > 0)
                {
                    used += request.Permits;
                    bucket.Charge(used, now, request.Policy, _time);
                }

                return Describe(allowed, 0, request, used);
            }
        }
    }

    /// <inheritdoc/>
    protected override RateLimitDecision AcquireCore(ReadOnlySpan<RateLimitRequest> requests)
    {
        // On the stack up to the public per-call limit; AcquireNewAsync may charge more partitions.
        var count = requests.Length;
        var held = new BucketList();
        Span<Bucket?> buckets = count <= MaxKeysPerAcquisition ? held : new Bucket?[count];
        Span<int> order = count <= MaxKeysPerAcquisition ? stackalloc int[count] : new int[count];
        Span<double> used = count <= MaxKeysPerAcquisition ? stackalloc double[count] : new double[count];
        SortByKey(requests, order);

        while (true)
        {
            for (var i = 0; i < count; i++)
            {
                buckets[i] = _buckets.GetOrAdd(requests[i].Key, static _ => new Bucket());
            }

            // Locks are always taken in key order, so two acquisitions sharing partitions cannot deadlock.
            var locked = 0;
            var evicted = false;
            try
            {
                while (locked < count && !evicted)
                {
                    var bucket = buckets[order[locked]]!;
                    Monitor.Enter(bucket);
                    locked++;
                    evicted = bucket.Evicted;
                }

                if (evicted)
                {
                    continue;
                }

                var now = _time.GetTimestamp();
                var allowed = true;
                for (var i = 0; i < count; i++)
                {
                    used[i] = buckets[i]!.UsedAt(now, requests[i].Policy, _time);
                    allowed &= TokenBucket.Fits(used[i], requests[i].Permits, requests[i].Policy);
                }

                if (allowed)
                {
                    for (var i = 0; i < count; i++)
                    {
                        if (requests[i].Permits > 0)
                        {
                            used[i] += requests[i].Permits;
                            buckets[i]!.Charge(used[i], now, requests[i].Policy, _time);
                        }
                    }
                }

                return Combine(allowed, requests, used);
            }
            finally
            {
                for (var i = locked - 1; i >= 0; i--)
                {
                    Monitor.Exit(buckets[order[i]]!);
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitDecision> AcquireCoreAsync(RateLimitRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AcquireCore(request));

    /// <inheritdoc/>
    protected override ValueTask<RateLimitDecision> AcquireCoreAsync(ReadOnlyMemory<RateLimitRequest> requests, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AcquireCore(requests.Span));

    /// <inheritdoc/>
    /// <remarks>The set's lock is held across the decision, so two acquisitions of the same new item never both pay.</remarks>
    protected override ValueTask<RateLimitDecision> AcquireNewCoreAsync(string seen, TimeSpan lifetime, ReadOnlyMemory<RateLimitRequest> partitions,
        ReadOnlyMemory<RateLimitItem> items, CancellationToken cancellationToken)
    {
        while (true)
        {
            var set = _seen.GetOrAdd(seen, static _ => new SeenSet());
            lock (set)
            {
                if (set.Evicted)
                {
                    continue;
                }

                var now = _time.GetTimestamp();
                if (now >= set.ExpiresAt)
                {
                    set.Values.Clear();
                }

                var owed = new int[partitions.Length];
                for (var i = 0; i < owed.Length; i++)
                {
                    owed[i] = partitions.Span[i].Permits;
                }

                var fresh = new List<string>();
                foreach (var item in items.Span)
                {
                    if (!set.Values.Contains(item.Value))
                    {
                        fresh.Add(item.Value);
                        foreach (var index in item.Partitions)
                        {
                            owed[index]++;
                        }
                    }
                }

                var charged = new List<RateLimitRequest>(owed.Length);
                var from = new List<int>(owed.Length);
                for (var i = 0; i < owed.Length; i++)
                {
                    if (owed[i] > 0)
                    {
                        charged.Add(partitions.Span[i] with { Permits = owed[i] });
                        from.Add(i);
                    }
                }

                var decision = charged.Count switch
                {
                    0 => AsItStands(AcquireCore(partitions.Span[0] with { Permits = 0 })),
                    1 => AcquireCore(charged[0]),
                    _ => AcquireCore(CollectionsMarshal.AsSpan(charged)),
                };
                if (charged.Count > 0)
                {
                    decision = decision with { KeyIndex = from[decision.KeyIndex] };
                }

                if (decision.IsAllowed && fresh.Count > 0)
                {
                    set.Values.UnionWith(fresh);
                    set.ExpiresAt = now + (long)Math.Ceiling(lifetime.TotalSeconds * _time.TimestampFrequency);
                }

                return ValueTask.FromResult(decision);
            }
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sweeper.Dispose();
        }
    }

    /// <summary>
    /// Picks the partition the caller should hear about: when allowed, the one with the fewest permits left; when
    /// denied, the refusing one that frees up last. The Redis script makes the same choice.
    /// </summary>
    internal static RateLimitDecision Combine(bool allowed, ReadOnlySpan<RateLimitRequest> requests, ReadOnlySpan<double> used)
    {
        var pick = 0;
        var best = allowed ? int.MaxValue : TimeSpan.Zero.Ticks;
        for (var i = 0; i < requests.Length; i++)
        {
            var policy = requests[i].Policy;
            if (allowed)
            {
                var remaining = TokenBucket.Remaining(used[i], policy);
                if (remaining < best)
                {
                    (pick, best) = (i, remaining);
                }
            }
            else if (!TokenBucket.Fits(used[i], requests[i].Permits, policy))
            {
                var wait = TokenBucket.RetryAfter(used[i], requests[i].Permits, policy).Ticks;
                if (wait > best)
                {
                    (pick, best) = (i, wait);
                }
            }
        }

        return Describe(allowed, pick, requests[pick], used[pick]);
    }

    private static RateLimitDecision Describe(bool allowed, int index, RateLimitRequest request, double used) => new(
        allowed,
        allowed ? RateLimitReason.WithinLimit : RateLimitReason.LimitExceeded,
        request.Policy,
        index,
        TokenBucket.Remaining(used, request.Policy),
        TokenBucket.TimeToDrain(used, request.Policy),
        allowed ? TimeSpan.Zero : TokenBucket.RetryAfter(used, request.Permits, request.Policy));

    private static void SortByKey(ReadOnlySpan<RateLimitRequest> requests, Span<int> order)
    {
        for (var i = 0; i < order.Length; i++)
        {
            var j = i;
            for (; j > 0 && string.CompareOrdinal(requests[order[j - 1]].Key, requests[i].Key) > 0; j--)
            {
                order[j] = order[j - 1];
            }

            order[j] = i;
        }
    }

    /// <summary>Drops the partitions whose permits have all drained back; run by the sweep timer.</summary>
    internal void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var entry in _buckets)
        {
            var bucket = entry.Value;
            lock (bucket)
            {
                if (!bucket.Evicted && now >= bucket.DrainedAt)
                {
                    // An acquirer holding this bucket sees Evicted and starts over with a fresh one, which decides
                    // exactly as this drained one would have.
                    bucket.Evicted = true;
                    _buckets.TryRemove(entry);
                }
            }
        }

        foreach (var entry in _seen)
        {
            var set = entry.Value;
            lock (set)
            {
                if (!set.Evicted && now >= set.ExpiresAt)
                {
                    set.Evicted = true;
                    _seen.TryRemove(entry);
                }
            }
        }
    }

    /// <summary>Room for the buckets of one acquisition, on the stack.</summary>
    [InlineArray(MaxKeysPerAcquisition)]
    private struct BucketList
    {
        private Bucket? _first;
    }

    /// <summary>The items of one set of <see cref="KeyedRateLimiter.AcquireNewAsync"/>; read and written only under its own lock.</summary>
    private sealed class SeenSet
    {
        public HashSet<string> Values { get; } = new(StringComparer.Ordinal);

        public long ExpiresAt { get; set; }

        public bool Evicted { get; set; }
    }

    /// <summary>One partition's state; read and written only under its own lock.</summary>
    private sealed class Bucket
    {
        private double _used;
        private long _chargedAt;

        /// <summary>When every permit will have drained back, at the limit in force when last charged.</summary>
        public long DrainedAt { get; private set; }

        public bool Evicted { get; set; }

        public double UsedAt(long now, RateLimitPolicy policy, TimeProvider time) =>
            now >= DrainedAt ? 0 : TokenBucket.Drain(_used, time.GetElapsedTime(_chargedAt, now).TotalSeconds, policy);

        public void Charge(double used, long now, RateLimitPolicy policy, TimeProvider time)
        {
            _used = used;
            _chargedAt = now;
            DrainedAt = now + (long)Math.Ceiling(TokenBucket.TimeToDrain(used, policy).TotalSeconds * time.TimestampFrequency);
        }
    }
}
