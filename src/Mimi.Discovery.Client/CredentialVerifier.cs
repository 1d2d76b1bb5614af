using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Client;

/// <summary>
/// The relying party's check of a credential that proves its own log entry (docs/accountability.md §3), offline from a
/// <see cref="CredentialBundle"/>: <c>chain</c>, <c>vrf-proof</c>, <c>extension</c>, <c>commitment</c>, <c>index</c>,
/// <c>inclusion</c> and <c>checkpoint</c> (<see cref="CredentialCheck"/>). Every check runs and is reported, so a
/// failure names exactly what is wrong: a credential logged under another identifier's index fails <c>index</c>, one
/// that is not in the log fails <c>inclusion</c>.
/// </summary>
public sealed class CredentialVerifier
{
    private static readonly Asn1Tag UriName = new(TagClass.ContextSpecific, 6);

    private readonly X509Certificate2 _root;
    private readonly CheckpointTrust _checkpoints;
    private readonly VrfKeys? _vrfKeys;

    /// <summary>Creates a verifier.</summary>
    /// <param name="root">The root certificate credentials must chain to.</param>
    /// <param name="checkpoints">The log's key, the witnesses' keys and the quorum.</param>
    /// <param name="vrfKeys">The authority's VRF keys, as the relying party obtained them; null to take the bundle's.</param>
    public CredentialVerifier(X509Certificate2 root, CheckpointTrust checkpoints, VrfKeys? vrfKeys = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(checkpoints);
        _root = root;
        _checkpoints = checkpoints;
        _vrfKeys = vrfKeys;
    }

    /// <summary>
    /// Gathers a bundle for <paramref name="credential"/> from the service: the checkpoint it serves (with its
    /// cosignatures), the entry at the credential's log index and its inclusion proof under that checkpoint, and the
    /// VRF keys. Nothing fetched is trusted here; <see cref="Verify"/> checks it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The credential carries no transparency member (it was logged before identifier indexes).</exception>
    public static async Task<CredentialBundle> FetchBundleAsync(MimiDiscoveryClient client, Credential credential, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(credential);
        var transparency = credential.Transparency
            ?? throw new InvalidOperationException($"Credential {credential.Serial} carries no transparency member: it was logged before identifier indexes, so it cannot prove its entry.");
        var note = await client.GetCheckpointAsync(ct);
        var size = UnverifiedSize(note);
        string? entry = null;
        InclusionProof? proof = null;
        if (transparency.LogIndex >= 0 && transparency.LogIndex < size)
        {
            entry = (await client.GetLogEntriesAsync(transparency.LogIndex, 1, ct)).Entries.FirstOrDefault(e => e.Index == transparency.LogIndex)?.Data;
            proof = await client.GetInclusionProofAsync(transparency.LogIndex, size, ct);
        }

        return new CredentialBundle(credential.Certificate, credential.Chain ?? await client.GetCaChainAsync(ct), transparency,
            await client.GetVrfKeysAsync(ct), entry, proof, note);
    }

    /// <summary>Runs every check; never throws for bad input, it reports.</summary>
    /// <param name="bundle">The credential and its evidence.</param>
    /// <param name="at">When the chain must be valid; now when null.</param>
    public CredentialVerification Verify(CredentialBundle bundle, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var checks = new List<CredentialCheck>();
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(bundle.Certificate);
        }
        catch (CryptographicException e)
        {
            checks.Add(new CredentialCheck(CredentialCheck.Chain, false, "The certificate does not parse: " + e.Message));
            return new CredentialVerification(checks);
        }

        using (certificate)
        {
            var transparency = bundle.Transparency;
            var (sii, ssi) = Identifiers(certificate);
            checks.Add(CheckChain(certificate, bundle.Chain, at ?? DateTimeOffset.UtcNow));

            var proof = Base64(transparency.VrfProof, EcVrf.ProofLength);
            var claimedIndex = Base64(transparency.IdentifierIndex, EcVrf.OutputLength);
            checks.Add(CheckVrfProof(sii, transparency.VrfKey, proof, claimedIndex, _vrfKeys ?? bundle.VrfKeys));
            checks.Add(CheckExtension(certificate, transparency.VrfKey, proof));

            var verification = _checkpoints.Verify(bundle.Checkpoint ?? "");
            byte[]? entryBytes = bundle.Entry is null ? null : Base64(bundle.Entry, -1);
            LogEntryContent? entry = null;
            var entryProblem = entryBytes is null
                ? $"The bundle holds no entry at log index {transparency.LogIndex}: the log has none there."
                : !LogEntryContent.TryParse(entryBytes, out entry) ? $"The entry at log index {transparency.LogIndex} is not a log entry."
                : entry!.Format != LogEntryContent.IndexedFormat ? $"The entry at log index {transparency.LogIndex} is a format-1 entry: it carries no identifier index."
                : null;

            checks.Add(entryProblem is not null
                ? new CredentialCheck(CredentialCheck.Commitment, false, entryProblem)
                : CheckCommitment(entry!, transparency, certificate, sii, ssi));
            checks.Add(entryProblem is not null
                ? new CredentialCheck(CredentialCheck.Index, false, entryProblem)
                : CheckIndex(entry!, transparency, proof));
            checks.Add(CheckInclusion(entryBytes, transparency.LogIndex, bundle.InclusionProof, verification.Checkpoint));
            checks.Add(new CredentialCheck(CredentialCheck.Checkpoint, verification.IsTrusted, verification.Reason));
        }

        return new CredentialVerification(checks);
    }

    private CredentialCheck CheckChain(X509Certificate2 certificate, string? chainPem, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        var extra = new X509Certificate2Collection();
        try
        {
            if (!string.IsNullOrWhiteSpace(chainPem))
            {
                extra.ImportFromPem(chainPem);
            }

            chain.ChainPolicy.ExtraStore.AddRange(extra);
            if (chain.Build(certificate))
            {
                return new CredentialCheck(CredentialCheck.Chain, true, $"Chains to the root {_root.Subject} at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z.");
            }

            var statuses = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return new CredentialCheck(CredentialCheck.Chain, false, $"Does not chain to the root {_root.Subject}: {statuses}.");
        }
        catch (CryptographicException e)
        {
            return new CredentialCheck(CredentialCheck.Chain, false, "The chain does not parse: " + e.Message);
        }
        finally
        {
            foreach (var c in extra)
            {
                c.Dispose();
            }
        }
    }

    private static CredentialCheck CheckVrfProof(string? sii, string kid, byte[]? proof, byte[]? claimedIndex, VrfKeys? keys)
    {
        const string name = CredentialCheck.VrfProof;
        if (sii is null)
        {
            return new CredentialCheck(name, false, "The certificate names no tel:, mailto: or im: identifier in its SAN.");
        }

        if (proof is null)
        {
            return new CredentialCheck(name, false, $"The proof beside the credential is not base64 of {EcVrf.ProofLength} bytes.");
        }

        var published = keys?.Keys?.FirstOrDefault(k => k.Kid == kid);
        if (published is null)
        {
            return new CredentialCheck(name, false, $"The VRF key {kid} is not among the authority's published keys.");
        }

        if (Base64(published.PublicKey, 33) is not { } encoded || !VrfPublicKey.TryParse(encoded, out var key) || key.KeyId != kid)
        {
            return new CredentialCheck(name, false, $"The published VRF key {kid} is not a P-256 point named by that key id.");
        }

        var beta = new byte[EcVrf.OutputLength];
        if (!key.Verify(Encoding.UTF8.GetBytes(sii), proof, beta))
        {
            return new CredentialCheck(name, false, $"The proof does not verify for {sii} under the VRF key {kid}.");
        }

        return claimedIndex is not null && !beta.AsSpan().SequenceEqual(claimedIndex)
            ? new CredentialCheck(name, false, "The proof verifies, but its output is not the identifier index given beside the credential.")
            : new CredentialCheck(name, true, $"The proof verifies for the certificate's identifier under the VRF key {kid}.");
    }

    private static CredentialCheck CheckExtension(X509Certificate2 certificate, string kid, byte[]? proof)
    {
        const string name = CredentialCheck.Extension;
        var extension = certificate.Extensions[AuthorityOids.IdentifierIndexProof];
        if (extension is null)
        {
            return new CredentialCheck(name, true, "No proof extension (an imported credential): the proof beside it is the one checked.");
        }

        if (extension.Critical)
        {
            return new CredentialCheck(name, false, "The proof extension is marked critical; the profile makes it non-critical.");
        }

        try
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            var keyId = sequence.ReadOctetString();
            var inside = sequence.ReadOctetString();
            sequence.ThrowIfNotEmpty();
            reader.ThrowIfNotEmpty();
            if (!string.Equals(Convert.ToHexStringLower(keyId), kid, StringComparison.Ordinal))
            {
                return new CredentialCheck(name, false, $"The extension names VRF key {Convert.ToHexStringLower(keyId)}, the proof beside names {kid}.");
            }

            return proof is not null && inside.AsSpan().SequenceEqual(proof)
                ? new CredentialCheck(name, true, "The proof in the certificate's extension is the one beside it.")
                : new CredentialCheck(name, false, "The proof in the certificate's extension differs from the one beside it.");
        }
        catch (AsnContentException)
        {
            return new CredentialCheck(name, false, "The proof extension is not SEQUENCE { OCTET STRING, OCTET STRING }.");
        }
    }

    private static CredentialCheck CheckCommitment(LogEntryContent entry, CredentialTransparency transparency, X509Certificate2 certificate, string? sii, string? ssi)
    {
        const string name = CredentialCheck.Commitment;
        var opening = Base64(transparency.Opening, LogCommitment.OpeningLength);
        var value = Base64(transparency.Value, -1);
        if (opening is null || value is null)
        {
            return new CredentialCheck(name, false, "The opening beside the credential is not base64 (32-byte opening and a value).");
        }

        if (!LogCommitment.Opens(entry.Commitment, opening, value))
        {
            return new CredentialCheck(name, false, $"The opening does not open the commitment of the entry at log index {transparency.LogIndex}.");
        }

        if (!CommittedValue.TryParse(value, out var committed) || committed!.Type != LogEntryType.Issuance || entry.Type != LogEntryType.Issuance)
        {
            return new CredentialCheck(name, false, $"The entry at log index {transparency.LogIndex} opens, but not to an issuance.");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        var serial = Serial(certificate);
        var provider = ssi is not null && Uri.TryCreate(ssi, UriKind.Absolute, out var uri) ? uri.Host : null;
        var mismatches = new List<string>();
        Compare(mismatches, "certificateSha256", committed.CertificateSha256, hash);
        Compare(mismatches, "serial", committed.Serial, serial);
        Compare(mismatches, "sii", committed.Sii, sii);
        Compare(mismatches, "ssi", committed.Ssi, ssi);
        Compare(mismatches, "provider", committed.Provider, provider);
        Compare(mismatches, "notAfter", committed.NotAfter is { } n ? LogEntryContent.FormatTime(n) : null, LogEntryContent.FormatTime(certificate.NotAfter));
        return mismatches.Count == 0
            ? new CredentialCheck(name, true, $"The entry at log index {transparency.LogIndex} opens to this certificate (SHA-256, serial, identifier, user, provider, expiry).")
            : new CredentialCheck(name, false, $"The entry at log index {transparency.LogIndex} opens to another credential: {string.Join("; ", mismatches)}.");
    }

    private static CredentialCheck CheckIndex(LogEntryContent entry, CredentialTransparency transparency, byte[]? proof)
    {
        const string name = CredentialCheck.Index;
        var beta = new byte[EcVrf.OutputLength];
        if (proof is null || !EcVrf.TryProofToHash(proof, beta))
        {
            return new CredentialCheck(name, false, "The proof beside the credential yields no VRF output.");
        }

        if (entry.VrfKeyId != transparency.VrfKey)
        {
            return new CredentialCheck(name, false, $"The entry at log index {transparency.LogIndex} is indexed under VRF key {entry.VrfKeyId}, the proof under {transparency.VrfKey}.");
        }

        return entry.IdentifierIndex.AsSpan().SequenceEqual(beta)
            ? new CredentialCheck(name, true, $"The entry at log index {transparency.LogIndex} carries this credential's identifier index.")
            : new CredentialCheck(name, false, $"The entry at log index {transparency.LogIndex} carries another identifier index than this credential's VRF output: it is logged under another identifier.");
    }

    private static CredentialCheck CheckInclusion(byte[]? entry, long logIndex, InclusionProof? proof, Checkpoint? checkpoint)
    {
        const string name = CredentialCheck.Inclusion;
        if (entry is null || proof is null)
        {
            return new CredentialCheck(name, false, $"No entry and inclusion proof for log index {logIndex}: the credential is not in the log.");
        }

        if (checkpoint is null)
        {
            return new CredentialCheck(name, false, "No checkpoint signed by the log to prove inclusion against.");
        }

        if (proof.Index != logIndex || proof.TreeSize != checkpoint.Size)
        {
            return new CredentialCheck(name, false, $"The inclusion proof is for entry {proof.Index} in a tree of {proof.TreeSize}, not entry {logIndex} in the checkpoint's {checkpoint.Size}.");
        }

        var hashes = new List<byte[]>(proof.Hashes.Length);
        foreach (var text in proof.Hashes)
        {
            if (Base64(text, MerkleHash.Size) is not { } hash)
            {
                return new CredentialCheck(name, false, "The inclusion proof holds a hash that is not base64 of 32 bytes.");
            }

            hashes.Add(hash);
        }

        return MerkleProof.VerifyInclusion(MerkleHash.LeafHash(entry), logIndex, checkpoint.Size, hashes, checkpoint.RootHash)
            ? new CredentialCheck(name, true, $"Entry {logIndex} is included in the tree of size {checkpoint.Size}.")
            : new CredentialCheck(name, false, $"The entry at log index {logIndex} does not prove included in the checkpoint's tree of size {checkpoint.Size}: it is not in the log.");
    }

    private static void Compare(List<string> mismatches, string field, string? committed, string? actual)
    {
        if (!string.Equals(committed, actual, StringComparison.Ordinal))
        {
            mismatches.Add($"{field} is '{committed}', the certificate's '{actual}'");
        }
    }

    /// <summary>The SII (tel:, mailto:, im:) and SSI (mimi://) URIs of the certificate's SAN.</summary>
    internal static (string? Sii, string? Ssi) Identifiers(X509Certificate2 certificate)
    {
        string? sii = null, ssi = null;
        var san = certificate.Extensions["2.5.29.17"];
        if (san is null)
        {
            return (null, null);
        }

        try
        {
            var names = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                if (names.PeekTag() != UriName)
                {
                    names.ReadEncodedValue();
                    continue;
                }

                var uri = names.ReadCharacterString(UniversalTagNumber.IA5String, UriName);
                if (uri.StartsWith("mimi://", StringComparison.Ordinal))
                {
                    ssi ??= uri;
                }
                else if (uri.StartsWith("tel:", StringComparison.Ordinal) || uri.StartsWith("mailto:", StringComparison.Ordinal) || uri.StartsWith("im:", StringComparison.Ordinal))
                {
                    sii ??= uri;
                }
            }
        }
        catch (AsnContentException)
        {
            return (null, null);
        }

        return (sii, ssi);
    }

    /// <summary>The canonical serial text: lower-case hex of the magnitude without leading zero bytes.</summary>
    internal static string Serial(X509Certificate2 certificate)
    {
        var bytes = certificate.SerialNumberBytes.Span;
        var start = 0;
        while (start < bytes.Length - 1 && bytes[start] == 0)
        {
            start++;
        }

        return Convert.ToHexStringLower(bytes[start..]);
    }

    /// <summary>Standard or URL-safe base64 of exactly <paramref name="length"/> bytes (any length when negative); null otherwise.</summary>
    internal static byte[]? Base64(string? text, int length)
    {
        if (text is null || text.Length > 1 << 20)
        {
            return null;
        }

        var standard = text.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        var bytes = new byte[standard.Length / 4 * 3];
        return Convert.TryFromBase64String(standard, bytes, out var written) && (length < 0 || written == length) ? bytes[..written] : null;
    }

    private static long UnverifiedSize(string note)
    {
        // Only to choose which proof to fetch: Verify checks the signatures and that the proof is for this size.
        var body = note.Split("\n\n", 2)[0] + "\n";
        return Checkpoint.TryParse(body, out var checkpoint) ? checkpoint.Size : 0;
    }
}
