using OpenTelemetry.Exporter;

namespace Mimi.Discovery.Server.Telemetry;

/// <summary>Where traces and metrics are pushed over OTLP; nothing is exported while <see cref="Endpoint"/> is unset.</summary>
internal sealed class TelemetryOtlpOptions
{
    /// <summary>
    /// The collector's base address, such as <c>http://otel-collector:4317</c> (gRPC) or <c>http://otel-collector:4318</c>
    /// (HTTP): over HTTP the signal paths <c>/v1/traces</c> and <c>/v1/metrics</c> are appended to it.
    /// </summary>
    public string? Endpoint { get; set; }

    public OtlpExportProtocol Protocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>Whether metrics are pushed too (every <see cref="MetricsInterval"/>), besides traces.</summary>
    public bool ExportMetrics { get; set; } = true;

    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The share of traces recorded and exported (0 to 1); a caller's sampled <c>traceparent</c> is always followed.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double SampleRatio { get; set; } = 1.0;

    /// <summary>The address a signal is sent to: the endpoint itself for gRPC, the endpoint with the signal's path for HTTP.</summary>
    public Uri SignalEndpoint(string signalPath)
    {
        var endpoint = new Uri(Endpoint!, UriKind.Absolute);
        return Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + signalPath, UriKind.Absolute)
            : endpoint;
    }
}
