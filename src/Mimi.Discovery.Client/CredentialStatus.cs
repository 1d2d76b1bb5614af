namespace Mimi.Discovery.Client;

/// <summary>
/// A checked credential as the log shows it: its issuance entry (serial, expiry) and, when the log holds a revocation
/// of its serial after it, where (<see cref="RevocationIndex"/>, its inclusion proved) and when.
/// </summary>
public sealed record CredentialStatus(long LogIndex, string Serial, DateTimeOffset? NotAfter, long? RevocationIndex = null,
    DateTimeOffset? RevokedAt = null, string? RevocationReason = null)
{
    /// <summary>Whether the log holds a revocation of this credential.</summary>
    public bool IsRevoked => RevocationIndex is not null;

    /// <summary>Neither revoked nor expired at <paramref name="now"/>.</summary>
    public bool IsLive(DateTimeOffset now) => !IsRevoked && (NotAfter is not { } notAfter || notAfter > now);
}
