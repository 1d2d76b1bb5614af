using System.ComponentModel.DataAnnotations;

namespace Mimi.Discovery.Server.Authority.ProofOfControl;

internal sealed class HttpGatewayOptions
{
    /// <summary>The gateway's send URL (HTTPS outside development).</summary>
    public string? Url { get; set; }

    /// <summary>Bearer credential for the gateway; a secret, never logged.</summary>
    public string? ApiKey { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
