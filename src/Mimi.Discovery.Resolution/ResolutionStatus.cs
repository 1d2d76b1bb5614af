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
