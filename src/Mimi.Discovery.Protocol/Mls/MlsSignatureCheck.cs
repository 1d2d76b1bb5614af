namespace Mimi.Discovery.Protocol;

/// <summary>The outcome of checking one MLS signature.</summary>
public enum MlsSignatureCheck
{
    /// <summary>The signature verifies.</summary>
    Valid,

    /// <summary>The signature does not verify (or is not a well-formed signature of the scheme).</summary>
    Invalid,

    /// <summary>The public key is not a key of the suite's signature scheme.</summary>
    BadKey,

    /// <summary>The cipher suite's signature scheme is not implemented here.</summary>
    UnsupportedSuite,
}
