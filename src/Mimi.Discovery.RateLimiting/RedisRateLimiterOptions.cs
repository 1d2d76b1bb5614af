namespace Mimi.Discovery.RateLimiting;

/// <summary>Settings of <see cref="RedisRateLimiter"/>. Partition limits come from the caller, not from here.</summary>
public sealed class RedisRateLimiterOptions
{
    /// <summary>Prepended to every partition key, so the counters share a Redis with other data safely. Default <c>mimi:rl:</c>.</summary>
    public string KeyPrefix { get; set; } = "mimi:rl:";

    /// <summary>The Redis database number; -1 (the default) is the connection's default database.</summary>
    public int Database { get; set; } = -1;

    /// <summary>
    /// The longest a decision waits for Redis before it counts as unavailable, so a dead or stalled Redis never hangs
    /// a request. Default 1 s: on a loaded machine decisions queue for a few hundred milliseconds while Redis itself
    /// is healthy, and a timeout then refuses a request that would have been answered.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long Redis must answer without a failure before an episode of failures (an outage, or timeouts on a busy
    /// machine) counts as over and its end is logged, with how many decisions failed. Sporadic timeouts thus give one
    /// pair of log lines per episode, not per request. Default 10 s; zero ends an episode at the first answer.
    /// </summary>
    public TimeSpan EpisodeQuietPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What to decide while Redis is unavailable. Default <see cref="RedisFailureMode.FailClosed"/>.</summary>
    public RedisFailureMode FailureMode { get; set; } = RedisFailureMode.FailClosed;

    /// <summary>The <c>Retry-After</c> of a decision denied because Redis is unavailable. Default 5 s.</summary>
    public TimeSpan UnavailableRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws, naming the setting, when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (KeyPrefix is null)
        {
            throw new ArgumentOutOfRangeException(nameof(KeyPrefix), KeyPrefix, "RateLimiting:Redis:KeyPrefix must be set (it may be empty).");
        }

        if (Database < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(Database), Database, "RateLimiting:Redis:Database must be -1 or a database number.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "RateLimiting:Redis:Timeout must be positive.");
        }

        if (EpisodeQuietPeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(EpisodeQuietPeriod), EpisodeQuietPeriod, "RateLimiting:Redis:EpisodeQuietPeriod must not be negative.");
        }

        if (!Enum.IsDefined(FailureMode))
        {
            throw new ArgumentOutOfRangeException(nameof(FailureMode), FailureMode, "RateLimiting:Redis:FailureMode must be FailClosed or FailOpen.");
        }

        if (UnavailableRetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(UnavailableRetryAfter), UnavailableRetryAfter, "RateLimiting:Redis:UnavailableRetryAfter must not be negative.");
        }
    }
}
