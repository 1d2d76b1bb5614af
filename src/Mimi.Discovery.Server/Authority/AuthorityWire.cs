using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

internal sealed record CreateChallengeRequest(string? Sii, string? Ssi);

internal sealed record ChallengeView(string ChallengeId, string Sii, string Ssi, string Channel, DateTimeOffset ExpiresAt);

internal sealed record IssueCredentialRequest(string? Sii, string? Ssi, string? PublicKey, string[]? Tags, string? ChallengeId, string? Code, bool? Attested);

internal sealed record RevokeRequest(string? Reason);

internal sealed record CredentialView(
    string Serial, string Provider, string Sii, string Ssi, string[] Tags, string Attestation, DateTimeOffset NotBefore, DateTimeOffset NotAfter,
    long LogIndex, string Assertion, string Certificate, string? Chain, DateTimeOffset? RevokedAt, string? RevocationReason, long? RevocationLogIndex,
    TransparencyView? Transparency)
{
    /// <summary>
    /// The view of <paramref name="c"/> (completed with its proof, <see cref="IndexProofs.Complete"/>) with its
    /// <paramref name="assertion"/> (see <see cref="StoredAssertions"/>).
    /// </summary>
    public static CredentialView From(CredentialRecord c, string assertion, string? chain) => new(
        c.Serial, c.Provider, c.Sii, c.Ssi, [.. c.Tags], Log.IndexedLogEntries.AttestationName(c.Attestation),
        c.NotBefore, c.NotAfter, c.LogIndex, assertion, System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", c.Certificate), chain,
        c.RevokedAt, c.RevocationReason, c.RevocationLogIndex, TransparencyView.From(c));
}

/// <summary>
/// What a credential carries beside its certificate so that a relying party can check the log (docs/accountability.md
/// §3): the VRF proof of its identifier index and the opening of its issuance entry. Absent before format 2.
/// </summary>
internal sealed record TransparencyView(string VrfKey, string VrfProof, string IdentifierIndex, long LogIndex, string Opening, string Value)
{
    public static TransparencyView? From(CredentialRecord c) => c is { IsIndexed: true, VrfProof: { } proof }
        ? new TransparencyView(c.VrfKeyId!, Convert.ToBase64String(proof), Convert.ToBase64String(c.IdentifierIndex!), c.LogIndex,
            Convert.ToBase64String(c.LogOpening!), Convert.ToBase64String(Log.IndexedLogEntries.IssuanceValue(c)))
        : null;
}

/// <summary>The published VRF keys (docs/accountability.md §1): the current key first, then every earlier one, newest first.</summary>
internal sealed record VrfKeysView(string Suite, string Current, VrfKeyView[] Keys)
{
    public static VrfKeysView From(Transparency.VrfKeyRing ring) => new(Transparency.EcVrf.SuiteName, ring.Current.PublicKey.KeyId,
        [.. new[] { ring.Current }.Concat(ring.Previous).Select(k => new VrfKeyView(k.PublicKey.KeyId, Convert.ToBase64String(k.PublicKey.Encoded)))]);
}

internal sealed record VrfKeyView(string Kid, string PublicKey);
