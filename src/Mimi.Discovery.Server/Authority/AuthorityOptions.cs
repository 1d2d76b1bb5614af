using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Authority;

/// <summary>The authority's identity and keys.</summary>
internal sealed partial class AuthorityOptions
{
    public const string Section = "Authority";

    /// <summary>
    /// Public base URL of this service: the issuer of tokens and assertions, and the base of the token endpoint.
    /// When not set, the address the service listens on (<see cref="DefaultIssuer"/>).
    /// </summary>
    public string Issuer { get; set; } = "";

    /// <summary>Directory of the signing keys and the CA; defaults to <c>{DataDirectory}/keys</c>.</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>Create missing keys (a development CA, signing keys, a development operator) on start-up.</summary>
    public bool CreateDevelopmentKeys { get; set; } = true;

    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan CrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The data annotations of these options, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<AuthorityOptions>;
}
