using System.Net;

namespace Mimi.Discovery.Resolution;

/// <summary>
/// Settings for <see cref="ProviderResolver"/>: where DNS questions go, how long answers are kept,
/// which addresses may be contacted and how the directory document is fetched.
/// </summary>
public sealed class ProviderResolverOptions
{
    private List<IPEndPoint> _nameServers = [];
    private List<IPNetwork> _allowedAddressRanges = [];

    /// <summary>
    /// Name servers to query, tried in order. Empty (the default) means the system resolver's name servers.
    /// </summary>
    public IList<IPEndPoint> NameServers => _nameServers;

    /// <summary>How long to wait for one DNS answer before retrying or giving up. Default 2 seconds.</summary>
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a DNS question is repeated after a timeout. Default 1.</summary>
    public int DnsRetries { get; set; } = 1;

    /// <summary>Upper bound on entries in each cache (resolutions, host addresses, directories). Default 10,000.</summary>
    public int MaxCacheEntries { get; set; } = 10_000;

    /// <summary>Upper bound on how long a positive answer is cached, whatever its TTL says. Default 1 hour.</summary>
    public TimeSpan MaxPositiveTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Upper bound on how long a negative answer (NXDOMAIN, NODATA) is cached; the SOA minimum
    /// (RFC 2308) applies below it. Default 5 minutes.
    /// </summary>
    public TimeSpan NegativeTtlCap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a negative answer without an SOA record is cached (still bounded by
    /// <see cref="NegativeTtlCap"/>). Default 30 seconds.
    /// </summary>
    public TimeSpan NegativeTtlWithoutSoa { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Address ranges that may be contacted although they are special-purpose (loopback, private,
    /// link-local, metadata…). Empty by default: such addresses are refused. Tests and the local demo
    /// add <c>127.0.0.0/8</c>.
    /// </summary>
    public IList<IPNetwork> AllowedAddressRanges => _allowedAddressRanges;

    /// <summary>
    /// Whether plain <c>http</c> URLs are acceptable in the directory document and for fetching it.
    /// Off by default; only for tests and the local demo.
    /// </summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Scheme used to fetch <c>/.well-known/mimi-protocol-directory</c>: <c>https</c> (default), or
    /// <c>http</c> when <see cref="AllowHttp"/> is set.
    /// </summary>
    public string DirectoryScheme { get; set; } = "https";

    /// <summary>How long a TCP connection attempt to one address may take. Default 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long fetching the directory from one target may take in total. Default 10 seconds.</summary>
    public TimeSpan DirectoryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest directory document accepted, in bytes. Default 64 KiB.</summary>
    public int MaxDirectoryBytes { get; set; } = 64 * 1024;

    /// <summary>How long a directory document is cached when the response carries no <c>max-age</c>. Default 10 minutes.</summary>
    public TimeSpan DefaultDirectoryTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Upper bound on how long a directory document is cached. Default 1 hour.</summary>
    public TimeSpan MaxDirectoryTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Port used when a domain has no SRV record (RFC 2782 fallback to the domain itself). Default 443.</summary>
    public int FallbackPort { get; set; } = 443;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        RequirePositive(DnsTimeout, nameof(DnsTimeout));
        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        RequirePositive(DirectoryTimeout, nameof(DirectoryTimeout));
        RequireNotNegative(MaxPositiveTtl, nameof(MaxPositiveTtl));
        RequireNotNegative(NegativeTtlCap, nameof(NegativeTtlCap));
        RequireNotNegative(NegativeTtlWithoutSoa, nameof(NegativeTtlWithoutSoa));
        RequireNotNegative(DefaultDirectoryTtl, nameof(DefaultDirectoryTtl));
        RequireNotNegative(MaxDirectoryTtl, nameof(MaxDirectoryTtl));
        if (DnsRetries is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(DnsRetries), DnsRetries, "DnsRetries must be between 0 and 10.");
        }

        if (MaxCacheEntries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCacheEntries), MaxCacheEntries, "MaxCacheEntries must be at least 1.");
        }

        if (MaxDirectoryBytes is < 256 or > 16 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDirectoryBytes), MaxDirectoryBytes, "MaxDirectoryBytes must be between 256 bytes and 16 MiB.");
        }

        if (FallbackPort is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(FallbackPort), FallbackPort, "FallbackPort must be a TCP port (1-65535).");
        }

        if (DirectoryScheme != Uri.UriSchemeHttps && !(DirectoryScheme == Uri.UriSchemeHttp && AllowHttp))
        {
            throw new ArgumentException(
                $"DirectoryScheme '{DirectoryScheme}' is not allowed: use 'https', or 'http' together with AllowHttp.",
                nameof(DirectoryScheme));
        }
    }

    /// <summary>A copy, so that a resolver is not affected by later changes to the instance it was given.</summary>
    internal ProviderResolverOptions Clone()
    {
        var copy = (ProviderResolverOptions)MemberwiseClone();
        var nameServers = new List<IPEndPoint>(NameServers);
        var allowed = new List<IPNetwork>(AllowedAddressRanges);
        copy._nameServers = nameServers;
        copy._allowedAddressRanges = allowed;
        return copy;
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }

    private static void RequireNotNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");
        }
    }
}
