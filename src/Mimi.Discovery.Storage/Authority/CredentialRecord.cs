using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>
/// An issued credential: the X.509 certificate, its mapping assertion and its place in the log. A bulk-imported row
/// stores no assertion (<see cref="AssertionSignedOnFirstUse"/>): its claims are all columns of the row, and it is
/// signed from them where it is first served.
/// </summary>
/// <remarks>
/// A credential logged in format 2 (docs/accountability.md) keeps the key id of the VRF key its identifier index was
/// computed under, the index, the proof of it (null for a bulk import until first served) and the opening of its
/// issuance commitment; rows logged before have none of them.
/// </remarks>
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
    DateTimeOffset? RemovedAt = null,
    string? VrfKeyId = null,
    byte[]? IdentifierIndex = null,
    byte[]? VrfProof = null,
    byte[]? LogOpening = null)
{
    /// <summary>The <see cref="Assertion"/> of a row whose assertion is signed when first served rather than at issuance (bulk import).</summary>
    public const string AssertionSignedOnFirstUse = "";

    /// <summary>True once revoked.</summary>
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>True when the credential's entries are indexed (format 2).</summary>
    public bool IsIndexed => VrfKeyId is not null && IdentifierIndex is not null && LogOpening is not null;
}
