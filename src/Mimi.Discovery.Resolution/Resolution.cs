using System.Net;

namespace Mimi.Discovery.Resolution;

/// <summary>How a resolution ended.</summary>
public enum ResolutionStatus
{
    /// <summary>At least one candidate with permitted addresses was found.</summary>
    Resolved,

    /// <summary>The SRV record's target is <c>"."</c>: the service is decidedly not available (RFC 2782).</summary>
    NotAvailable,

    /// <summary>Targets were found, but every address they resolve to was refused by the <see cref="AddressGuard"/>.</summary>
    AddressRefused,

    /// <summary>Targets were found, but none has an A or AAAA record.</summary>
    NoAddresses,

    /// <summary>No DNS server answered within the configured timeout.</summary>
    Timeout,

    /// <summary>The DNS server answered with an error (SERVFAIL, REFUSED, …).</summary>
    DnsFailure,

    /// <summary>The domain is not a valid host name.</summary>
    InvalidDomain,
}

/// <summary>Where the candidates came from.</summary>
public enum ResolutionSource
{
    /// <summary>Nothing usable was looked up (invalid domain, DNS failure or timeout).</summary>
    None,

    /// <summary>From <c>_mimi._tcp.&lt;domain&gt;</c> SRV records.</summary>
    Srv,

    /// <summary>No SRV record exists (NXDOMAIN or NODATA): the domain itself on the fallback port.</summary>
    Fallback,
}

/// <summary>One place to contact a provider: an SRV target (or the domain itself) with its permitted addresses.</summary>
/// <param name="Target">Host name, lower case, without the trailing dot.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Priority">SRV priority (lower is tried first); 0 for the fallback.</param>
/// <param name="Weight">SRV weight within its priority; 0 for the fallback.</param>
/// <param name="Addresses">Addresses that passed the <see cref="AddressGuard"/>, in the order to try them.</param>
public sealed record ResolutionCandidate(string Target, int Port, int Priority, int Weight, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary><c>target:port</c>.</summary>
    public override string ToString() => $"{Target}:{Port}";
}

/// <summary>An address the <see cref="AddressGuard"/> refused, with the reason.</summary>
/// <param name="Address">The refused address.</param>
/// <param name="Reason">Why, for example <c>"10.0.0.1 is private (RFC 1918) (10.0.0.0/8)"</c>.</param>
public sealed record RefusedAddress(IPAddress Address, string Reason);

/// <summary>A target that cannot be contacted: it has no addresses, or only refused ones.</summary>
/// <param name="Target">Host name.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Priority">SRV priority.</param>
/// <param name="Weight">SRV weight.</param>
/// <param name="Refused">Addresses refused by the <see cref="AddressGuard"/>.</param>
/// <param name="Reason">Human-readable summary.</param>
public sealed record UnusableTarget(string Target, int Port, int Priority, int Weight, IReadOnlyList<RefusedAddress> Refused, string Reason);

/// <summary>
/// The outcome of resolving a provider domain: candidates in RFC 2782 order, where they came from,
/// how long the answer holds and an explanation trail fit for printing.
/// </summary>
/// <param name="Domain">The provider domain, normalized (lower case, no trailing dot).</param>
/// <param name="Status">How the resolution ended.</param>
/// <param name="Source">SRV records or the fallback to the domain itself.</param>
/// <param name="Candidates">Usable candidates, in the order to try them (priority, then weighted random).</param>
/// <param name="Unusable">Targets left out, with the reason.</param>
/// <param name="TimeToLive">How long the DNS data behind this answer is valid (zero when it was not cached).</param>
/// <param name="ExpiresAt">When the cached answer expires, or <see langword="null"/> when it is not cached.</param>
/// <param name="FromCache">Whether the DNS data came from the cache.</param>
/// <param name="Error">What went wrong, when <see cref="Status"/> is not <see cref="ResolutionStatus.Resolved"/>.</param>
/// <param name="Explanation">Step-by-step account of what was asked, what came back and what was chosen.</param>
public sealed record Resolution(
    string Domain,
    ResolutionStatus Status,
    ResolutionSource Source,
    IReadOnlyList<ResolutionCandidate> Candidates,
    IReadOnlyList<UnusableTarget> Unusable,
    TimeSpan TimeToLive,
    DateTimeOffset? ExpiresAt,
    bool FromCache,
    string? Error,
    IReadOnlyList<string> Explanation)
{
    /// <summary>Whether at least one candidate can be contacted.</summary>
    public bool Succeeded => Status == ResolutionStatus.Resolved;
}
