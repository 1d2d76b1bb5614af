namespace Mimi.Discovery.Server.Telemetry;

/// <summary>Where Prometheus scrapes the service's metrics.</summary>
internal sealed class TelemetryMetricsOptions
{
    /// <summary>The default management address: loopback, so metrics are never on a public interface unless configured.</summary>
    public const string DefaultManagementUrl = "http://127.0.0.1:9464";

    public MetricsExposure Exposure { get; set; } = MetricsExposure.Management;

    /// <summary>
    /// The address of the management listener (<see cref="MetricsExposure.Management"/>): an <c>http</c> URL with an IP
    /// address or <c>localhost</c> and a port (0 takes a free one, listed at start-up), and no path.
    /// </summary>
    public string ManagementUrl { get; set; } = DefaultManagementUrl;

    /// <summary>
    /// How often the stored state behind the gauges (log, witnesses, outbox) is read again; a scrape reads the last
    /// sample, never the database.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);
}
