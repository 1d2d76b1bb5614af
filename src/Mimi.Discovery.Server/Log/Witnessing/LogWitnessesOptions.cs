using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Log.Witnessing;

/// <summary>
/// The witnesses the log asks to cosign its checkpoints (C2SP tlog-witness), and how many cosignatures a checkpoint
/// needs before <c>/log/checkpoint</c> serves it. No witness configured: checkpoints are served as the log signs them.
/// </summary>
internal sealed partial class LogWitnessesOptions
{
    public const string Section = "Log:Witnesses";

    /// <summary>Cosignatures (from distinct listed witnesses) a checkpoint needs to be served; 0 serves the newest checkpoint with whatever it has.</summary>
    [Range(0, 100)]
    public int Quorum { get; set; }

    /// <summary>The witnesses, each a verifier key and the submission prefix its <c>add-checkpoint</c> is under.</summary>
    [ValidateEnumeratedItems]
    public List<LogWitnessOptions> List { get; set; } = [];

    /// <summary>How long one <c>add-checkpoint</c> call may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry after a witness failed; each further failure doubles it, up to <see cref="MaxRetryInterval"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MinRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between retries while a witness is down.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the cosigner looks for a head its witnesses have not cosigned without being told of a commit (another replica's).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<LogWitnessesOptions>;
}
