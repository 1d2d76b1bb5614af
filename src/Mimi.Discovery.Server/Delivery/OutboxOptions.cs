using System.ComponentModel.DataAnnotations;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>Delivery of queued provider-to-provider requests (at least once, in order per destination).</summary>
internal sealed class OutboxOptions
{
    /// <summary>How often the outbox looks for due messages when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxBackoff"/>, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a destination's <c>Retry-After</c> is honoured.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A message still undelivered after this long is given up (kept as failed for the operator).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "30.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Destinations served at once.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 32;
}
