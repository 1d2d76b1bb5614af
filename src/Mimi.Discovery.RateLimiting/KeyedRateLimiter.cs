namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// A rate limiter over string partition keys whose limits come with each call, so quotas set at run time apply to the
/// next decision without a restart. Expected outcomes (over the limit, counter store unreachable) are values, never
/// exceptions; exceptions mean a bug (an empty key, a negative limit) or cancellation.
/// </summary>
/// <remarks>
/// Implementations: <see cref="InProcessRateLimiter"/> for one process, <see cref="RedisRateLimiter"/> for replicas
/// sharing counters. <see cref="KeyedPartitionedRateLimiter"/> presents either as a
/// <see cref="System.Threading.RateLimiting.PartitionedRateLimiter{TResource}"/>.
/// </remarks>
public abstract class KeyedRateLimiter : IDisposable
{
    /// <summary>The most partitions one acquisition may charge together.</summary>
    public const int MaxKeysPerAcquisition = 16;

    private const string AcquireSpan = "ratelimit acquire";

    private const string AcquireNewSpan = "ratelimit acquire-new";

    /// <summary>Takes <paramref name="permits"/> from the partition <paramref name="key"/>, blocking the caller.</summary>
    /// <param name="key">The partition key.</param>
    /// <param name="policy">The limit in force for the partition.</param>
    /// <param name="permits">Permits to take; zero asks whether one is available without taking it.</param>
    /// <returns>The decision; nothing is consumed when it is not allowed.</returns>
    public RateLimitDecision Acquire(string key, RateLimitPolicy policy, int permits = 1)
    {
        var request = new RateLimitRequest(key, policy, permits);
        request.Validate();
        using var activity = RateLimiterTracing.Start(AcquireSpan, 1);
        var decision = AcquireCore(request);
        RateLimiterTracing.Decided(activity, decision);
        return decision;
    }

    /// <summary>Takes <paramref name="permits"/> from the partition <paramref name="key"/>.</summary>
    /// <param name="key">The partition key.</param>
    /// <param name="policy">The limit in force for the partition.</param>
    /// <param name="permits">Permits to take; zero asks whether one is available without taking it.</param>
    /// <param name="cancellationToken">Cancels the wait (the decision may still have been made).</param>
    /// <returns>The decision; nothing is consumed when it is not allowed.</returns>
    public ValueTask<RateLimitDecision> AcquireAsync(string key, RateLimitPolicy policy, int permits = 1, CancellationToken cancellationToken = default)
    {
        var request = new RateLimitRequest(key, policy, permits);
        request.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        return RateLimiterTracing.Enabled
            ? TracedAsync(AcquireSpan, 1, request, static (l, r, ct) => l.AcquireCoreAsync(r, ct), cancellationToken)
            : AcquireCoreAsync(request, cancellationToken);
    }

    /// <summary>
    /// Takes permits from several partitions at once, all or nothing: either every partition has them and all are
    /// consumed, or none is touched (a lookup hit counts against the requester's quota and the owner's together).
    /// </summary>
    /// <param name="requests">Distinct keys, at most <see cref="MaxKeysPerAcquisition"/>.</param>
    /// <returns>The combined decision, describing the partition that limits the caller.</returns>
    public RateLimitDecision Acquire(ReadOnlySpan<RateLimitRequest> requests)
    {
        Validate(requests);
        using var activity = RateLimiterTracing.Start(AcquireSpan, requests.Length);
        var decision = requests.Length == 1 ? AcquireCore(requests[0]) : AcquireCore(requests);
        RateLimiterTracing.Decided(activity, decision);
        return decision;
    }

    /// <summary>
    /// Takes permits from several partitions at once, all or nothing; see <see cref="Acquire(ReadOnlySpan{RateLimitRequest})"/>.
    /// </summary>
    /// <param name="requests">Distinct keys, at most <see cref="MaxKeysPerAcquisition"/>; not modified until the call completes.</param>
    /// <param name="cancellationToken">Cancels the wait (the decision may still have been made).</param>
    /// <returns>The combined decision, describing the partition that limits the caller.</returns>
    public ValueTask<RateLimitDecision> AcquireAsync(ReadOnlyMemory<RateLimitRequest> requests, CancellationToken cancellationToken = default)
    {
        Validate(requests.Span);
        cancellationToken.ThrowIfCancellationRequested();
        if (RateLimiterTracing.Enabled)
        {
            return TracedAsync(AcquireSpan, requests.Length, requests,
                static (l, r, ct) => r.Length == 1 ? l.AcquireCoreAsync(r.Span[0], ct) : l.AcquireCoreAsync(r, ct), cancellationToken);
        }

        return requests.Length == 1 ? AcquireCoreAsync(requests.Span[0], cancellationToken) : AcquireCoreAsync(requests, cancellationToken);
    }

    /// <summary>
    /// Charges only for items not yet in the set <paramref name="seen"/>, and remembers them, in one atomic decision (one
    /// round trip to Redis): a re-sync of an address book pays only for the identifiers new to the requester. Each
    /// partition owes its own <see cref="RateLimitRequest.Permits"/> plus one permit per new item that names it; the
    /// partitions that owe something are charged all or nothing, as by
    /// <see cref="AcquireAsync(ReadOnlyMemory{RateLimitRequest}, CancellationToken)"/>, and the others are not consulted.
    /// When allowed, the new items join the set, whose lifetime then starts again.
    /// </summary>
    /// <param name="seen">The key of the set of items seen, such as one per requester and window.</param>
    /// <param name="lifetime">How long the set lives after items last joined it; at least one millisecond.</param>
    /// <param name="partitions">Distinct keys, any number (a batch may hit many owners); not modified until the call completes.</param>
    /// <param name="items">Distinct values, each naming partitions by index; not modified until the call completes.</param>
    /// <param name="cancellationToken">Cancels the wait (the decision may still have been made).</param>
    /// <returns>
    /// The combined decision, describing the partition that limits the caller; when no partition owes anything, allowed
    /// whatever is left, describing the first partition as it stands (nothing charged), so every answer can carry the
    /// RateLimit fields. Nothing is charged or remembered when it is not allowed.
    /// </returns>
    public ValueTask<RateLimitDecision> AcquireNewAsync(string seen, TimeSpan lifetime, ReadOnlyMemory<RateLimitRequest> partitions,
        ReadOnlyMemory<RateLimitItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(seen);
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, RateLimitPolicy.MinimumWindow);
        if (partitions.IsEmpty)
        {
            throw new ArgumentOutOfRangeException(nameof(partitions), 0, "An acquisition charges at least one partition.");
        }

        ValidateDistinct(partitions.Span);
        foreach (var item in items.Span)
        {
            ArgumentNullException.ThrowIfNull(item.Value, nameof(items));
            foreach (var index in item.Partitions ?? throw new ArgumentNullException(nameof(items)))
            {
                if ((uint)index >= (uint)partitions.Length)
                {
                    throw new ArgumentOutOfRangeException(nameof(items), index, $"Item '{item.Value}' names partition {index} of {partitions.Length}.");
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return RateLimiterTracing.Enabled
            ? TracedAsync(AcquireNewSpan, partitions.Length, (seen, lifetime, partitions, items),
                static (l, a, ct) => l.AcquireNewCoreAsync(a.seen, a.lifetime, a.partitions, a.items, ct), cancellationToken)
            : AcquireNewCoreAsync(seen, lifetime, partitions, items, cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Decides for one validated request.</summary>
    protected abstract RateLimitDecision AcquireCore(RateLimitRequest request);

    /// <summary>Decides for two or more validated requests with distinct keys, all or nothing.</summary>
    protected abstract RateLimitDecision AcquireCore(ReadOnlySpan<RateLimitRequest> requests);

    /// <summary>Decides for one validated request.</summary>
    protected abstract ValueTask<RateLimitDecision> AcquireCoreAsync(RateLimitRequest request, CancellationToken cancellationToken);

    /// <summary>Decides for two or more validated requests with distinct keys, all or nothing.</summary>
    protected abstract ValueTask<RateLimitDecision> AcquireCoreAsync(ReadOnlyMemory<RateLimitRequest> requests, CancellationToken cancellationToken);

    /// <summary>Decides for a validated acquisition of new items; see <see cref="AcquireNewAsync"/>.</summary>
    protected abstract ValueTask<RateLimitDecision> AcquireNewCoreAsync(string seen, TimeSpan lifetime, ReadOnlyMemory<RateLimitRequest> partitions,
        ReadOnlyMemory<RateLimitItem> items, CancellationToken cancellationToken);

    /// <summary>
    /// The decision when nothing is owed: allowed whatever is left, describing the first partition as the zero-permit
    /// <paramref name="peek"/> found it (so a free re-sync still reports the quota it would draw on).
    /// </summary>
    protected static RateLimitDecision AsItStands(RateLimitDecision peek) =>
        peek with { IsAllowed = true, Reason = RateLimitReason.WithinLimit, KeyIndex = 0, RetryAfter = TimeSpan.Zero };

    /// <summary>Releases what the limiter holds.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    // The span of an asynchronous decision, started and ended in a method of its own so that the caller's current
    // activity is its own again when the decision returns.
    private async ValueTask<RateLimitDecision> TracedAsync<TState>(string name, int partitions, TState state,
        Func<KeyedRateLimiter, TState, CancellationToken, ValueTask<RateLimitDecision>> decide, CancellationToken cancellationToken)
    {
        using var activity = RateLimiterTracing.Start(name, partitions);
        var decision = await decide(this, state, cancellationToken).ConfigureAwait(false);
        RateLimiterTracing.Decided(activity, decision);
        return decision;
    }

    private static void Validate(ReadOnlySpan<RateLimitRequest> requests)
    {
        if (requests.IsEmpty || requests.Length > MaxKeysPerAcquisition)
        {
            throw new ArgumentOutOfRangeException(nameof(requests), requests.Length, $"An acquisition charges between 1 and {MaxKeysPerAcquisition} partitions.");
        }

        ValidateDistinct(requests);
    }

    private static void ValidateDistinct(ReadOnlySpan<RateLimitRequest> requests)
    {
        var keys = requests.Length > MaxKeysPerAcquisition ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i].Validate();
            var repeated = keys?.Add(requests[i].Key) == false;
            for (var j = 0; keys is null && j < i; j++)
            {
                repeated |= string.Equals(requests[i].Key, requests[j].Key, StringComparison.Ordinal);
            }

            if (repeated)
            {
                throw new ArgumentException($"The partition '{requests[i].Key}' appears twice in one acquisition.", nameof(requests));
            }
        }
    }
}
