using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The delivery core: when <see cref="Domain"/> is set, this instance hosts that provider's users (their clients,
/// KeyPackages, consent and rooms) and speaks MIMI to other providers. Unset, the instance is discovery only.
/// </summary>
internal sealed class DeliveryOptions
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

    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>This provider's quota on claims of its users' KeyPackages (the owner's quota at the KeyPackage step).</summary>
    public KeyPackageClaimOptions KeyPackageClaims { get; set; } = new();

    /// <summary>The quota on other providers' identifierQuery calls, per requester provider.</summary>
    public IdentifierQueryOptions IdentifierQueries { get; set; } = new();

    /// <summary>Client inboxes: long-poll cap and the database poll that catches items written by other replicas.</summary>
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

    public bool Enabled => Domain is not null;

    /// <summary>The normalized domain; only valid when <see cref="Enabled"/>.</summary>
    public string HostedDomain => Domain?.Trim().ToLowerInvariant() ?? "";
}

/// <summary>Delivery of queued provider-to-provider requests (at least once, in order per destination).</summary>
internal sealed class OutboxOptions
{
    /// <summary>How often the outbox looks for due messages when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxBackoff"/>, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a destination's <c>Retry-After</c> is honoured.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A message still undelivered after this long is given up (kept as failed for the operator).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "30.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Destinations served at once.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 32;
}

/// <summary>Claims of this provider's users' KeyPackages by other providers: per requester provider and in total, per window.</summary>
internal sealed class KeyPackageClaimOptions
{
    /// <summary>Claims one requester provider may make per window (each claimed user counts once).</summary>
    [Range(1, 10_000_000)]
    public int PerRequester { get; set; } = 1000;

    /// <summary>Claims all requesters together may make per window.</summary>
    [Range(1, 100_000_000)]
    public int Total { get; set; } = 100_000;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>How clients read their inbox.</summary>
internal sealed class InboxOptions
{
    /// <summary>The longest a long poll (<c>wait</c>) is held open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a waiting poll or stream re-reads the database (items written by another replica).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most items one read returns.</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 100;
}

internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();

        // Data annotations on nested sections are not checked by ValidateDataAnnotations; check them here, by name.
        foreach (var (section, value) in new (string, object)[] { ("Outbox", options.Outbox), ("KeyPackageClaims", options.KeyPackageClaims), ("IdentifierQueries", options.IdentifierQueries), ("Inbox", options.Inbox) })
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => $"Delivery:{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            }
        }

        if (!ProviderDomain.TryNormalize(options.Domain, out _, out var error))
        {
            failures.Add($"Delivery:Domain is not a provider domain: {error.Message}");
        }

        foreach (var (setting, value) in new[] { ("PublicUrl", options.PublicUrl), ("DirectoryUrl", options.DirectoryUrl) })
        {
            if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            {
                failures.Add($"Delivery:{setting} must be an absolute http(s) URL (got '{value}').");
            }
        }

        if (options.ProviderKeyFile is null)
        {
            failures.Add("Delivery:ProviderKeyFile is required when Delivery:Domain is set: it signs this provider's requests to peers.");
        }
        else if (!File.Exists(options.ProviderKeyFile))
        {
            failures.Add($"Delivery:ProviderKeyFile '{options.ProviderKeyFile}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
