namespace Mimi.Discovery.Model;

/// <summary>How control of the identifier was established before issuance.</summary>
public enum Attestation
{
    /// <summary>The user presented a one-time code sent to the identifier.</summary>
    OneTimeCode = 0,
    /// <summary>A trusted provider attested control.</summary>
    Provider = 1,
}
