using System.ComponentModel.DataAnnotations;

namespace Mimi.Discovery.Server.Authentication;

internal sealed class OperatorClientOptions
{
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>The operator's public key as a JWK (JSON text).</summary>
    public string? Jwk { get; set; }

    /// <summary>A file holding the operator's public JWK.</summary>
    public string? JwkFile { get; set; }
}
