using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Log;

/// <summary>The background self-audit of the issuance log (<see cref="LogSelfAudit"/>).</summary>
internal sealed partial class LogSelfAuditOptions
{
    public const string Section = "Log:SelfAudit";

    /// <summary>
    /// Time from the end of one full pass to the start of the next. A pass reads every entry and tile once, so its
    /// cost grows with the log; an alteration is noticed within one interval plus one pass.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Entries read (and re-hashed) per database round trip.</summary>
    [Range(256, 100_000)]
    public int PageSize { get; set; } = 4096;

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<LogSelfAuditOptions>;
}
