namespace Mimi.Discovery.Client;

/// <summary>A credential in the operator's issuance feed (no identifier or user).</summary>
/// <param name="Serial">The credential's serial (hex).</param>
/// <param name="Provider">The provider it was issued to.</param>
/// <param name="Attestation">How control of the identifier was shown.</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="NotAfter">When it expires.</param>
/// <param name="LogIndex">Its issuance entry in the log.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="RevocationReason">Why.</param>
public sealed record IssuanceFeedEntry(string Serial, string Provider, string Attestation, DateTimeOffset IssuedAt, DateTimeOffset NotAfter, long LogIndex,
    DateTimeOffset? RevokedAt, string? RevocationReason);
