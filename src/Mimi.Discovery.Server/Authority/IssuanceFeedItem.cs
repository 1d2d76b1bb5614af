using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

/// <summary>One credential in the operator's issuance feed: no identifier, no user (see <see cref="IssuanceFeedApi"/>).</summary>
internal sealed record IssuanceFeedItem(string Serial, string Provider, string Attestation, DateTimeOffset IssuedAt, DateTimeOffset NotAfter, long LogIndex,
    DateTimeOffset? RevokedAt, string? RevocationReason)
{
    public static IssuanceFeedItem From(CredentialRecord c) => new(c.Serial, c.Provider, Log.IndexedLogEntries.AttestationName(c.Attestation), c.CreatedAt,
        c.NotAfter, c.LogIndex, c.RevokedAt, c.RevocationReason);
}
