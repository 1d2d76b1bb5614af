using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>
/// An enrolled provider. <see cref="TokenGeneration"/> counts its suspensions: access tokens carry the generation they
/// were issued in, so a token from before a suspension stays dead after reinstatement.
/// </summary>
public sealed record ProviderRecord(
    string Domain,
    string DisplayName,
    string Contact,
    ProviderTrust Trust,
    ProviderStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ProviderKeyRecord> Keys,
    string? KeyMaterialUrl = null,
    long TokenGeneration = 0);
