namespace Mimi.Discovery.RateLimiting;

/// <summary>Settings of <see cref="InProcessRateLimiter"/>. Partition limits come from the caller, not from here.</summary>
public sealed class InProcessRateLimiterOptions
{
    /// <summary>
    /// How often partitions whose permits have all drained back are dropped from memory. Dropping them loses nothing:
    /// a drained bucket and a missing one decide alike. Default one minute.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Throws, naming the setting, when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (SweepInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SweepInterval), SweepInterval, "RateLimiting:SweepInterval must be positive.");
        }
    }
}
