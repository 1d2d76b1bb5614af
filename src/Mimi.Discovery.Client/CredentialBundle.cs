namespace Mimi.Discovery.Client;

/// <summary>
/// Everything a relying party needs to check a credential offline (docs/accountability.md §3): the certificate and its
/// chain (PEM), what travels beside it (<see cref="Transparency"/>), the authority's VRF keys, the log entry at its log
/// index (base64 of its bytes; null when the log has no such entry), the inclusion proof of that entry and the signed,
/// cosigned checkpoint the proof leads to. <c>mimi verify --fetch</c> writes one.
/// </summary>
public sealed record CredentialBundle(string Certificate, string? Chain, CredentialTransparency Transparency, VrfKeys VrfKeys, string? Entry,
    InclusionProof? InclusionProof, string Checkpoint);
