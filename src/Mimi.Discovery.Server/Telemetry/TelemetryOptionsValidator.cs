using System.Net;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Telemetry;

/// <summary>What data annotations cannot say about the telemetry settings: the addresses.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (options.Metrics.Exposure == MetricsExposure.Management && ManagementAddress(options.Metrics.ManagementUrl) is null)
        {
            failures.Add("Telemetry:Metrics:ManagementUrl must be an http URL with an IP address or localhost, a port and no path "
                          + $"(e.g. {TelemetryMetricsOptions.DefaultManagementUrl}; got '{options.Metrics.ManagementUrl}').");
        }

        if (options.Otlp.Endpoint is { } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var otlp) || otlp.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(otlp.Query)))
        {
            failures.Add($"Telemetry:Otlp:Endpoint must be an absolute http(s) URL, the collector's base address (got '{endpoint}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The management URL as Kestrel will bind it, or null when it is not one this service accepts.</summary>
    public static Uri? ManagementAddress(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == "http"
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.IsLoopback || IPAddress.TryParse(uri.Host.Trim('[', ']'), out _))
            ? uri
            : null;
}
