using Mimi.Discovery.Authority;
using Mimi.Discovery.Server.Log;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Authority;

/// <summary>
/// VRF proofs of identifier indexes under the authority's keys. A bulk import computes only the index (one
/// multiplication per row); the proof of an imported credential is computed here where it is first served, like its
/// assertion. Proofs are deterministic (RFC 9381 with RFC 6979 nonces), so every replica computes the same bytes.
/// </summary>
internal sealed class IndexProofs(VrfKeyRing keys, CredentialStore store)
{
    public VrfKeyRing Keys => keys;

    /// <summary>The proof of <paramref name="sii"/> under key <paramref name="keyId"/>; throws when the key is not in the ring (a lost key file).</summary>
    public byte[] Prove(string keyId, string sii) =>
        (keys.Find(keyId) ?? throw new InvalidOperationException($"VRF key {keyId} is not in the key ring ({VrfKeyRing.KeyFile}, {VrfKeyRing.PreviousKeysFile})."))
        .Prove(IndexedLogEntries.Alpha(sii));

    /// <summary>The credential with its proof: as it is when it has one or is not indexed, else with the proof computed now.</summary>
    public CredentialRecord Complete(CredentialRecord credential) =>
        credential.IsIndexed && credential.VrfProof is null ? credential with { VrfProof = Prove(credential.VrfKeyId!, credential.Sii) } : credential;

    /// <summary>
    /// The credentials <see cref="Complete"/>d, keeping each proof computed now in its row, so the next read (a list, a
    /// record rebuild) does not compute it again.
    /// </summary>
    public async Task<IReadOnlyList<CredentialRecord>> CompleteAndKeepAsync(IReadOnlyList<CredentialRecord> list, CancellationToken ct)
    {
        var completed = list.Select(Complete).ToArray();
        var computed = completed.Where((c, i) => c.VrfProof is not null && list[i].VrfProof is null).Select(c => (c.Serial, c.VrfProof!)).ToList();
        if (computed.Count > 0)
        {
            await store.SetProofsAsync(computed, ct);
        }

        return completed;
    }

    /// <summary>The transparency claims of a credential's assertion (null before format 2); the credential must be <see cref="Complete"/>.</summary>
    public static AssertionTransparency? Claims(CredentialRecord c) => c.IsIndexed
        ? new AssertionTransparency(IndexedLogEntries.AttestationName(c.Attestation), c.VrfKeyId!,
            c.VrfProof ?? throw new InvalidOperationException($"Credential {c.Serial} has no VRF proof yet: complete it first."), c.LogOpening!)
        : null;
}
