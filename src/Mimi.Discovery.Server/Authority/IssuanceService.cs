using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Log;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

/// <summary>Issues credentials and revokes them; both go through the log, in the same transaction as their state change.</summary>
internal sealed class IssuanceService(
    CertificateAuthority ca,
    MappingAssertionSigner assertions,
    LogSequencer log,
    CredentialStore credentials,
    Lookup.Private.PrivateRecordRebuilder privateRecords,
    IOptions<AuthorityOptions> options,
    TimeProvider time)
{
    /// <summary>Issues a credential; throws <see cref="ArgumentException"/> for an unusable public key.</summary>
    public async Task<CredentialRecord> IssueAsync(string provider, Sii sii, Ssi ssi, byte[] subjectPublicKeyInfo, string[] tags,
        Attestation attestation, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var notAfter = now + options.Value.CredentialLifetime;
        var issued = ca.Issue(new CredentialRequest(subjectPublicKeyInfo, ssi.Value, sii.Value, now.AddMinutes(-1), notAfter));
        var entry = LogEntries.Issuance(now, provider, issued.SerialHex, SHA256.HashData(issued.Der), attestation, issued.NotAfter);

        CredentialRecord? record = null;
        await log.AppendAsync(new IssueCredentialWrite(entry, index =>
        {
            var assertion = assertions.Sign(new MappingAssertionClaims(sii.Value, ssi.Value, provider, tags, now, issued.NotAfter, index, issued.SerialHex));
            record = new CredentialRecord(issued.SerialHex, provider, sii.Value, ssi.Value, tags, attestation, issued.Der, assertion,
                issued.NotBefore, issued.NotAfter, index, now);
            return record;
        }), ct);
        // The private-lookup record costs an OPRF evaluation: built by the background builder, batched, not here.
        privateRecords.Request();
        return record!;
    }

    /// <summary>Revokes a credential; null when it was revoked already by a concurrent request.</summary>
    public async Task<CredentialRecord?> RevokeAsync(CredentialRecord credential, string revokedBy, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var entry = LogEntries.Revocation(now, credential.Provider, credential.Serial, revokedBy, reason);
        var result = await log.AppendAsync(new RevokeCredentialWrite(entry, credential.Serial, now, reason), ct);
        return result.Applied ? await credentials.GetAsync(credential.Serial, ct) : null;
    }
}
