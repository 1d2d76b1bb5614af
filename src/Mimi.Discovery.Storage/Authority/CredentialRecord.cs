using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>
/// An issued credential: the X.509 certificate, its mapping assertion and its place in the log. A bulk-imported row
/// stores no assertion (<see cref="AssertionSignedOnFirstUse"/>): its claims are all columns of the row, and it is
/// signed from them where it is first served.
/// </summary>
public sealed record CredentialRecord(
    string Serial,
    string Provider,
    string Sii,
    string Ssi,
    IReadOnlyList<string> Tags,
    Attestation Attestation,
    byte[] Certificate,
    string Assertion,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    long LogIndex,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt = null,
    string? RevocationReason = null,
    long? RevocationLogIndex = null,
    Discoverability Discoverability = Discoverability.Everyone,
    IReadOnlyList<string>? AllowedProviders = null,
    DateTimeOffset? RemovedAt = null)
{
    /// <summary>The <see cref="Assertion"/> of a row whose assertion is signed when first served rather than at issuance (bulk import).</summary>
    public const string AssertionSignedOnFirstUse = "";

    /// <summary>True once revoked.</summary>
    public bool IsRevoked => RevokedAt is not null;
}
