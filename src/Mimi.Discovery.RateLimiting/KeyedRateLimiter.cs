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

    /// <summary>Takes <paramref name="permits"/> from the partition <paramref name="key"/>, blocking the caller.</summary>
    /// <param name="key">The partition key.</param>
    /// <param name="policy">The limit in force for the partition.</param>
    /// <param name="permits">Permits to take; zero asks whether one is available without taking it.</param>
    /// <returns>The decision; nothing is consumed when it is not allowed.</returns>
    public RateLimitDecision Acquire(string key, RateLimitPolicy policy, int permits = 1)
    {
        var request = new RateLimitRequest(key, policy, permits);
        request.Validate();
        return AcquireCore(request);
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
        return AcquireCoreAsync(request, cancellationToken);
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
        return requests.Length == 1 ? AcquireCore(requests[0]) : AcquireCore(requests);
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
        return requests.Length == 1 ? AcquireCoreAsync(requests.Span[0], cancellationToken) : AcquireCoreAsync(requests, cancellationToken);
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

    /// <summary>Releases what the limiter holds.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    private static void Validate(ReadOnlySpan<RateLimitRequest> requests)
    {
        if (requests.IsEmpty || requests.Length > MaxKeysPerAcquisition)
        {
            throw new ArgumentOutOfRangeException(nameof(requests), requests.Length, $"An acquisition charges between 1 and {MaxKeysPerAcquisition} partitions.");
        }

        for (var i = 0; i < requests.Length; i++)
        {
            requests[i].Validate();
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(requests[i].Key, requests[j].Key, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"The partition '{requests[i].Key}' appears twice in one acquisition.", nameof(requests));
                }
            }
        }
    }
}
