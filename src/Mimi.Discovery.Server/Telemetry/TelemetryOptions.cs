using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Telemetry;

/// <summary>Metrics for Prometheus and traces (and metrics) over OTLP.</summary>
internal sealed partial class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The sample interval by its annotation; the address by <see cref="TelemetryOptionsValidator"/>.</summary>
    [ValidateObjectMembers]
    public TelemetryMetricsOptions Metrics { get; set; } = new();

    [ValidateObjectMembers]
    public TelemetryOtlpOptions Otlp { get; set; } = new();

    /// <summary>The service name traces and pushed metrics carry (<c>service.name</c>).</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public string ServiceName { get; set; } = "mimi-discovery";

    /// <summary>
    /// The settings as configured, read while the modules register: they decide which pipelines exist at all (nothing is
    /// registered for metrics that are served nowhere and exported nowhere). Checked at start-up like every module's.
    /// </summary>
    public static TelemetryOptions Read(IConfiguration configuration)
    {
        var options = new TelemetryOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<TelemetryOptions>;
}
