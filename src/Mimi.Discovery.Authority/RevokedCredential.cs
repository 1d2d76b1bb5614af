namespace Mimi.Discovery.Authority;

/// <summary>One CRL entry.</summary>
/// <param name="SerialHex">Serial of the revoked credential, hex.</param>
/// <param name="RevokedAt">When the revocation took effect.</param>
/// <param name="Reason">Optional reason; <see cref="RevocationReason.Unspecified"/> and null both omit it.</param>
public readonly record struct RevokedCredential(string SerialHex, DateTimeOffset RevokedAt, RevocationReason? Reason = null);
