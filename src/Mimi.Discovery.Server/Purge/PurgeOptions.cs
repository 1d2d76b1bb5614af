using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Purge;

/// <summary>
/// How long what only serves a while is kept: the purge deletes expired KeyPackages, used <c>jti</c> values and
/// challenges once they can no longer matter, and the rest after a retention.
/// </summary>
internal sealed partial class PurgeOptions
{
    public const string Section = "Purge";

    /// <summary>How often the purge runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows deleted per transaction; a run repeats batches until a table has nothing more to delete.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// How long a KeyPackage claim is kept: the Welcome that uses the claimed KeyPackage is routed by it, and a
    /// requester commits within moments of claiming, so days are ample.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan KeyPackageClaimRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long the hash of a message a local client sent through a remote hub is kept, so the hub's fan-out of it is
    /// not delivered back to the sender. Longer than <c>Delivery:Outbox:MaxAge</c> (a hub on this software's defaults
    /// retries for 2 days); after it, a very late echo reaches the sender, whose MLS client drops its own message.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan SentMessageRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a peer's message id is remembered, so a retried notify or consent message is applied once. Longer
    /// than <c>Delivery:Outbox:MaxAge</c>, and by default than the longest any peer on this software may retry (30 days).
    /// A resumable import's progress is kept as long after its last batch, so it can be resumed until then.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan InboundMessageRetention { get; set; } = TimeSpan.FromDays(31);

    /// <summary>How long an outbox message given up on stays listed for the operator (<c>GET /v1/delivery/outbox</c>), counted from its failure.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan FailedOutboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<PurgeOptions>;
}
