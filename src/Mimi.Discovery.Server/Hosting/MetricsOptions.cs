using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>How the gauges that describe stored state (log, witnesses, outbox) are kept: sampled by a worker, never per scrape.</summary>
internal sealed partial class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>How often the stored state behind the gauges is read again; a scrape reads the last sample.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<MetricsOptions>;
}
