namespace Mimi.Discovery.Authority;

/// <summary>Outcome of verifying a mapping assertion.</summary>
public enum MappingAssertionStatus
{
    /// <summary>Signature, header, issuer and lifetime check out.</summary>
    Valid,

    /// <summary>Not a compact JWS with a JSON header and payload holding the required claims.</summary>
    Malformed,

    /// <summary>The header's <c>alg</c> is not ES256, or it carries <c>crit</c> parameters.</summary>
    UnsupportedAlgorithm,

    /// <summary>The header's <c>typ</c> is not <c>mimi-mapping+jwt</c>.</summary>
    WrongType,

    /// <summary>No published key has the header's <c>kid</c>.</summary>
    UnknownKey,

    /// <summary>The signature does not verify.</summary>
    BadSignature,

    /// <summary>The <c>iss</c> claim is not the expected authority.</summary>
    WrongIssuer,

    /// <summary>The <c>exp</c> claim has passed.</summary>
    Expired,

    /// <summary>The <c>iat</c> claim lies in the future.</summary>
    NotYetValid,
}
