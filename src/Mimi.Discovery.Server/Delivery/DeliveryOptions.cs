using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The delivery core: when <see cref="Domain"/> is set, this instance hosts that provider's users (their clients,
/// KeyPackages, consent and rooms) and speaks MIMI to other providers. Unset, the instance is discovery only.
/// </summary>
internal sealed partial class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>The provider domain this instance hosts (for example <c>alpha.example</c>); null turns the delivery core off.</summary>
    public string? Domain { get; set; }

    /// <summary>Base URL of this instance's MIMI endpoints as peers reach it; defaults to <c>Authority:Issuer</c>.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// Base URL of the discovery service this provider is enrolled at (it vouches for peers' signing keys). Null when
    /// this instance is that service too: peers' keys are then read from its own directory.
    /// </summary>
    public string? DirectoryUrl { get; set; }

    /// <summary>
    /// PKCS#8 PEM private key enrolled for <see cref="Domain"/> at the discovery service; it signs this provider's
    /// requests to peers and its calls to the discovery service. Mode 0600.
    /// </summary>
    public string? ProviderKeyFile { get; set; }

    /// <summary>
    /// How long a fetched peer key set is trusted before it is fetched again: the bound on how long a provider suspended
    /// (or a key retired) at the discovery service can still sign requests this instance accepts. At most a minute,
    /// since the README promises suspensions take effect within seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan PeerKeyCacheLifetime { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one request to a peer may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PeerRequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [ValidateObjectMembers]
    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>This provider's quota on claims of its users' KeyPackages (the owner's quota at the KeyPackage step).</summary>
    [ValidateObjectMembers]
    public KeyPackageClaimOptions KeyPackageClaims { get; set; } = new();

    /// <summary>The quota on other providers' identifierQuery calls, per requester provider.</summary>
    [ValidateObjectMembers]
    public IdentifierQueryOptions IdentifierQueries { get; set; } = new();

    /// <summary>Client inboxes: long-poll cap and the database poll that catches items written by other replicas.</summary>
    [ValidateObjectMembers]
    public InboxOptions Inbox { get; set; } = new();

    /// <summary>The most KeyPackages one upload may carry.</summary>
    [Range(1, 1000)]
    public int MaxKeyPackagesPerUpload { get; set; } = 100;

    /// <summary>The longest KeyPackage lifetime accepted on upload (RFC 9420 §10.1 lets a recipient refuse longer ones).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan MaxKeyPackageLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long after handing a client a room's GroupInfo the hub accepts that client's external commit (one commit;
    /// a newer GroupInfo request replaces the grant).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan GroupInfoGrantLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The hosted domain as <see cref="ProviderDomain.TryNormalize"/> gives it (lower-case ASCII, no trailing dot): the
    /// one normalization, the same the validator checks <see cref="Domain"/> with. Set when the options are bound.
    /// </summary>
    public string HostedDomain { get; private set; } = "";

    /// <summary>Whether configuration hosts a provider here: the delivery core (and consent, peers) is registered only then.</summary>
    public static bool IsConfigured(IConfiguration configuration) => configuration[$"{Section}:{nameof(Domain)}"] is not null;

    /// <summary>Derives <see cref="HostedDomain"/> from <see cref="Domain"/>; a domain that does not normalize is left to the validator.</summary>
    public static void Normalize(DeliveryOptions options) =>
        options.HostedDomain = ProviderDomain.TryNormalize(options.Domain, out var domain, out _) ? domain : "";

    /// <summary>The data annotations of these options and of every nested section, checked by generated code.</summary>
    [OptionsValidator]
    internal sealed partial class Annotations : IValidateOptions<DeliveryOptions>;
}
