using System.Threading.RateLimiting;

namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// Presents a <see cref="KeyedRateLimiter"/> as a <see cref="PartitionedRateLimiter{TResource}"/> over partition keys,
/// with each partition's limit looked up per call, so quotas changed at run time apply at once.
/// </summary>
/// <remarks>
/// Requests never queue: a lease is granted or refused at once, and asking for more permits than the limit is a
/// refusal, not an exception, since limits are set at run time. Every lease carries the full
/// <see cref="RateLimitDecision"/> under <see cref="DecisionMetadataName"/> (for the RateLimit header fields and for
/// telling 429 from 503), and a refused one also carries <see cref="MetadataName.RetryAfter"/> and
/// <see cref="MetadataName.ReasonPhrase"/>. Charging several partitions atomically needs
/// <see cref="KeyedRateLimiter.AcquireAsync(ReadOnlyMemory{RateLimitRequest}, CancellationToken)"/>. The adapter does
/// not own the limiter: disposing it leaves the limiter usable.
/// </remarks>
public sealed class KeyedPartitionedRateLimiter : PartitionedRateLimiter<string>
{
    private readonly KeyedRateLimiter _limiter;
    private readonly Func<string, RateLimitPolicy> _policy;

    /// <summary>Creates the adapter.</summary>
    /// <param name="limiter">The limiter that decides.</param>
    /// <param name="policy">The limit in force for a partition key, consulted on every acquisition.</param>
    public KeyedPartitionedRateLimiter(KeyedRateLimiter limiter, Func<string, RateLimitPolicy> policy)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(policy);
        _limiter = limiter;
        _policy = policy;
    }

    /// <summary>The lease metadata holding the <see cref="RateLimitDecision"/>.</summary>
    public static MetadataName<RateLimitDecision> DecisionMetadataName { get; } = MetadataName.Create<RateLimitDecision>("MIMI_RATE_LIMIT_DECISION");

    /// <inheritdoc/>
    /// <returns>Always null: statistics are not kept per partition (counting would cost a round trip to Redis).</returns>
    public override RateLimiterStatistics? GetStatistics(string resource) => null;

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(string resource, int permitCount) =>
        new DecisionLease(_limiter.Acquire(resource, _policy(resource), permitCount));

    /// <inheritdoc/>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(string resource, int permitCount, CancellationToken cancellationToken) =>
        new DecisionLease(await _limiter.AcquireAsync(resource, _policy(resource), permitCount, cancellationToken).ConfigureAwait(false));

    private sealed class DecisionLease(RateLimitDecision decision) : RateLimitLease
    {
        private static readonly string[] AcquiredNames = [DecisionMetadataName.Name];
        private static readonly string[] RefusedNames = [DecisionMetadataName.Name, MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

        public override bool IsAcquired => decision.IsAllowed;

        public override IEnumerable<string> MetadataNames => decision.IsAllowed ? AcquiredNames : RefusedNames;

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (metadataName == DecisionMetadataName.Name)
            {
                metadata = decision;
                return true;
            }

            if (!decision.IsAllowed && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = decision.RetryAfter;
                return true;
            }

            if (!decision.IsAllowed && metadataName == MetadataName.ReasonPhrase.Name)
            {
                metadata = decision.Reason == RateLimitReason.BackendUnavailable ? "Rate-limit counters are unavailable" : "Rate limit exceeded";
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
