using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>
/// What an in-memory lookup index keeps of a credential row (everything but the certificate), with the change
/// sequence of its last change. Inactive rows (revoked or removed) come only from <see cref="CredentialStore.ListChangesAsync"/>,
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
    long ChangeSequence);
