using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Consent;

/// <summary>The operator's consent settings: rate limits, how many undecided requests a user holds, revocations, body size.</summary>
internal sealed partial class ConsentOptions
{
    public const string Section = "Consent";

    /// <summary>Consent requests (and cancellations) one requester provider may send per <see cref="Window"/> (at <c>requestConsent</c>).</summary>
    [Range(0, int.MaxValue)]
    public int RequestsPerProvider { get; set; } = 1000;

    /// <summary>Consent requests one hosted user may send per <see cref="Window"/> (at the client API).</summary>
    [Range(0, int.MaxValue)]
    public int RequestsPerUser { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Undecided requests a hosted user holds from one requester domain; more are dropped silently.</summary>
    [Range(1, 100_000)]
    public int MaxPendingPerRequesterDomain { get; set; } = 20;

    /// <summary>Undecided requests a hosted user holds in total; more are dropped silently.</summary>
    [Range(1, 1_000_000)]
    public int MaxPendingPerTarget { get; set; } = 200;

    /// <summary>Whether a hosted user's revocation is sent to the requester's provider (false: recorded here only).</summary>
    public bool SendRevocations { get; set; } = true;

    /// <summary>The largest <c>ConsentEntry</c> or <c>AbuseReport</c> body accepted; larger bodies are a 400 naming the size.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    public PendingLimits Limits => new(MaxPendingPerRequesterDomain, MaxPendingPerTarget);

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<ConsentOptions>;
}
