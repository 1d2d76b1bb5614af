namespace Mimi.Discovery.Client;

/// <summary>
/// An issued credential: certificate and chain (PEM), mapping assertion (JWS), log position, and what proves its log
/// entry (<see cref="Transparency"/>; null for a credential logged before identifier indexes existed).
/// </summary>
public sealed record Credential(string Serial, string Provider, string Sii, string Ssi, string[] Tags, string Attestation,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, long LogIndex, string Assertion, string Certificate, string? Chain,
    DateTimeOffset? RevokedAt, string? RevocationReason, long? RevocationLogIndex, CredentialTransparency? Transparency = null);
