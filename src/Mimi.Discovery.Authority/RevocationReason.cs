namespace Mimi.Discovery.Authority;

/// <summary>CRL reason codes (RFC 5280 section 5.3.1) a revocation may state.</summary>
public enum RevocationReason
{
    /// <summary>No reason given; encoded by leaving the reasonCode extension out, as RFC 5280 asks.</summary>
    Unspecified = 0,

    /// <summary>The subject's private key is known or suspected to be compromised.</summary>
    KeyCompromise = 1,

    /// <summary>The subject's identifier or affiliation changed (e.g. the number moved to another provider).</summary>
    AffiliationChanged = 3,

    /// <summary>A newer credential replaces this one.</summary>
    Superseded = 4,

    /// <summary>The subject no longer uses the credential (e.g. account closed).</summary>
    CessationOfOperation = 5,

    /// <summary>The authority withdrew the privilege the credential asserts (e.g. control of the SII lost).</summary>
    PrivilegeWithdrawn = 9,
}
