using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Log;

/// <summary>The issuance log.</summary>
internal sealed partial class LogOptions
{
    public const string Section = "Log";

    /// <summary>Checkpoint origin line (C2SP tlog-checkpoint), e.g. <c>discovery.example/log</c>; also the signer's key name.</summary>
    [Required]
    [RegularExpression(@"^[^\s+]+$", ErrorMessage = "Log:Origin is the checkpoint origin and the key name: no spaces and no '+'.")]
    public string Origin { get; set; } = "localhost/mimi-discovery/log";

    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 1000;

    [Range(1, 10_000)]
    public int MaxEntriesPerRequest { get; set; } = 1000;

    /// <summary>Full tiles are immutable and kept in memory up to this many.</summary>
    [Range(16, 10_000_000)]
    public int TileCacheSize { get; set; } = 65_536;

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<LogOptions>;
}
