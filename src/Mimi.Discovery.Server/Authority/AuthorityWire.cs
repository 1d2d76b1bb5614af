using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

internal sealed record CreateChallengeRequest(string? Sii, string? Ssi);

internal sealed record ChallengeView(string ChallengeId, string Sii, string Ssi, string Channel, DateTimeOffset ExpiresAt);

internal sealed record IssueCredentialRequest(string? Sii, string? Ssi, string? PublicKey, string[]? Tags, string? ChallengeId, string? Code, bool? Attested);

internal sealed record RevokeRequest(string? Reason);

internal sealed record CredentialView(
    string Serial, string Provider, string Sii, string Ssi, string[] Tags, string Attestation, DateTimeOffset NotBefore, DateTimeOffset NotAfter,
    long LogIndex, string Assertion, string Certificate, string? Chain, DateTimeOffset? RevokedAt, string? RevocationReason, long? RevocationLogIndex)
{
    /// <summary>The view of <paramref name="c"/> with its <paramref name="assertion"/> (see <see cref="StoredAssertions"/>).</summary>
    public static CredentialView From(CredentialRecord c, string assertion, string? chain) => new(
        c.Serial, c.Provider, c.Sii, c.Ssi, [.. c.Tags], c.Attestation == Model.Attestation.Provider ? "provider" : "one-time-code",
        c.NotBefore, c.NotAfter, c.LogIndex, assertion, System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", c.Certificate), chain,
        c.RevokedAt, c.RevocationReason, c.RevocationLogIndex);
}
