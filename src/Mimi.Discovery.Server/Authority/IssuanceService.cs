using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Log;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Authority;

/// <summary>
/// Issues credentials and revokes them; both go through the log, in the same transaction as their state change. Each
/// entry is indexed by the VRF output over the identifier and commits to its fields (<see cref="IndexedLogEntries"/>);
/// the credential proves its own index (the proof in its extension and assertion) and carries its opening.
/// </summary>
internal sealed class IssuanceService(
    CertificateAuthority ca,
    MappingAssertionSigner assertions,
    LogSequencer log,
    CredentialStore credentials,
    IndexProofs proofs,
    Lookup.Private.PrivateRecordRebuilder privateRecords,
    AuthorityMetrics metrics,
    IOptions<AuthorityOptions> options,
    TimeProvider time)
{
    /// <summary>Issues a credential; throws <see cref="ArgumentException"/> for an unusable public key.</summary>
    public async Task<CredentialRecord> IssueAsync(string provider, Sii sii, Ssi ssi, byte[] subjectPublicKeyInfo, string[] tags,
        Attestation attestation, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var notAfter = now + options.Value.CredentialLifetime;
        var key = proofs.Keys.Current;
        var proof = key.Prove(IndexedLogEntries.Alpha(sii.Value));
        var index = new byte[EcVrf.OutputLength];
        EcVrf.TryProofToHash(proof, index);
        var kid = key.PublicKey.KeyId;
        var issued = ca.Issue(new CredentialRequest(subjectPublicKeyInfo, ssi.Value, sii.Value, now.AddMinutes(-1), notAfter)
        {
            IndexProof = new IdentifierIndexProof(kid, proof),
        });
        var value = IndexedLogEntries.IssuanceValue(sii.Value, ssi.Value, provider, issued.SerialHex, issued.Der, attestation, issued.NotAfter);
        var (entry, opening) = IndexedLogEntries.Issuance(now, kid, index, sii.Value, value);

        CredentialRecord? record = null;
        await log.AppendAsync(new IssueCredentialWrite(entry, Credential) { Opening = opening }, ct);
        metrics.Issued(attestation);
        // The private-lookup record costs an OPRF evaluation: built by the background builder, batched, not here.
        privateRecords.Request();
        return record!;

        // The assertion carries the log index, known only once the entry is sequenced.
        CredentialRecord Credential(long logIndex)
        {
            var unsigned = new CredentialRecord(issued.SerialHex, provider, sii.Value, ssi.Value, tags, attestation, issued.Der, "",
                issued.NotBefore, issued.NotAfter, logIndex, now, VrfKeyId: kid, IdentifierIndex: index, VrfProof: proof, LogOpening: opening.Opening);
            return record = unsigned with { Assertion = assertions.Sign(StoredAssertions.Claims(unsigned)) };
        }
    }

    /// <summary>
    /// Revokes a credential; null when it was revoked already by a concurrent request. The entry carries the
    /// credential's identifier index, under the key it was issued with (a credential logged before format 2 is indexed
    /// under the current key), and names who revoked; the audit trail records the act in the same transaction.
    /// </summary>
    public async Task<CredentialRecord?> RevokeAsync(CredentialRecord credential, AuditActor revokedBy, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (kid, index) = credential.IsIndexed
            ? (credential.VrfKeyId!, credential.IdentifierIndex!)
            : (proofs.Keys.Current.PublicKey.KeyId, proofs.Keys.Current.Evaluate(IndexedLogEntries.Alpha(credential.Sii)));
        var (entry, opening) = IndexedLogEntries.Revocation(now, kid, index, credential.Sii, credential.Provider, credential.Serial, revokedBy.Id, reason);
        var result = await log.AppendAsync(new RevokeCredentialWrite(entry, credential.Serial, now, reason) { Opening = opening, Actor = revokedBy }, ct);
        if (!result.Applied)
        {
            return null;
        }

        metrics.Revoked(credential.Attestation, revokedBy.Role == Authentication.AccessTokens.OperatorRole);
        return await credentials.GetAsync(credential.Serial, ct);
    }
}
