using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>Client authentication (RFC 7523 private_key_jwt) and access tokens.</summary>
internal sealed partial class ClientAuthenticationOptions
{
    public const string Section = "Authentication";

    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a client assertion may live (exp − now); longer ones are refused.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:15:00")]
    public TimeSpan ClientAssertionMaxLifetime { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a replica checks the shared directory for provider changes made by other replicas.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan DirectoryRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>HMAC key for access tokens, base64 (at least 32 bytes); defaults to the key file <c>token-signing.key</c>.</summary>
    public string? TokenSigningKey { get; set; }

    /// <summary>Operator clients: they authenticate like providers and get the operator role.</summary>
    [ValidateEnumeratedItems]
    public List<OperatorClientOptions> Operators { get; set; } = [];

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<ClientAuthenticationOptions>;
}
