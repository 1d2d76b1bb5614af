using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>
/// What an in-memory lookup index keeps of a credential row (everything but the certificate), with the change
/// sequence of its last change. The attestation, VRF key, proof and opening are claims of the assertion of an indexed
/// (format-2) credential. Inactive rows (revoked or removed) come only from <see cref="CredentialStore.ListChangesAsync"/>,
/// telling the index to drop them.
/// </summary>
public sealed record MappingRow(
    string Serial,
    string Provider,
    string Sii,
    string Ssi,
    IReadOnlyList<string> Tags,
    string Assertion,
    DateTimeOffset NotAfter,
    long LogIndex,
    DateTimeOffset CreatedAt,
    Discoverability Discoverability,
    IReadOnlyList<string> AllowedProviders,
    bool IsActive,
    long ChangeSequence,
    Attestation Attestation = Attestation.Provider,
    string? VrfKeyId = null,
    byte[]? VrfProof = null,
    byte[]? LogOpening = null);
