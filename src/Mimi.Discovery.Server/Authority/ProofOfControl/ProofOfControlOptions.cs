using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Authority.ProofOfControl;

/// <summary>Proof of control of an identifier by one-time code.</summary>
internal sealed partial class ProofOfControlOptions
{
    public const string Section = "ProofOfControl";

    /// <summary>
    /// How long a verified code still shows control of its identifier: the provider may read the identifier's log
    /// index and entry openings for this long without holding a credential for it (docs/accountability.md §4).
    /// </summary>
    public static readonly TimeSpan ProvenControlWindow = TimeSpan.FromHours(1);

    public GatewayKind Gateway { get; set; } = GatewayKind.DevelopmentLog;

    [ValidateObjectMembers]
    public HttpGatewayOptions Http { get; set; } = new();

    [Range(6, 10)]
    public int CodeLength { get; set; } = 6;

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SendWindow { get; set; } = TimeSpan.FromHours(1);

    [Range(1, 1000)]
    public int SendsPerIdentifier { get; set; } = 5;

    [Range(1, 10_000_000)]
    public int SendsPerProvider { get; set; } = 10_000;

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<ProofOfControlOptions>;
}
