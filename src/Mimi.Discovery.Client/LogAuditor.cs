using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Client;

/// <summary>What an auditor trusted last: the checkpoint and the right edge of the tree it verified.</summary>
public sealed record AuditState(string Origin, string VerifierKey, long Size, string Root, string[] Frontier, string Checkpoint);

/// <summary>A credential whose inclusion the audit must prove: its certificate (DER) and the log index its assertion names.</summary>
public sealed record CredentialToCheck(byte[] Certificate, long LogIndex);

/// <summary>The outcome of an audit: the new state to keep (only when <see cref="Ok"/>) and what was checked or found wrong.</summary>
public sealed record AuditReport(bool Ok, AuditState? State, IReadOnlyList<string> Findings);

/// <summary>
/// Audits a log it did not write: verifies the checkpoint signature, proves the new tree extends the one trusted
/// before (consistency proof, and no shrinking or forking at the same size), re-hashes every new entry into the
/// trusted right edge and compares the root, and proves the inclusion of given credentials.
/// </summary>
public sealed class LogAuditor(MimiDiscoveryClient client)
{
    private const int PageSize = 1000;

    /// <summary>Runs the audit; never throws for a misbehaving log, it reports.</summary>
    public async Task<AuditReport> AuditAsync(AuditState? trusted, string verifierKey, IReadOnlyList<CredentialToCheck> credentials,
        bool checkEntries = true, CancellationToken ct = default)
    {
        var findings = new List<string>();
        if (trusted is not null && trusted.VerifierKey != verifierKey)
        {
            return Fail(findings, $"The verifier key changed: trusted '{trusted.VerifierKey}', given '{verifierKey}'.");
        }

        if (!NoteVerifier.TryParse(verifierKey, out var verifier))
        {
            return Fail(findings, $"Not a note verifier key: '{verifierKey}'.");
        }

        var note = await client.GetCheckpointAsync(ct);
        var opened = SignedNote.Open(Encoding.UTF8.GetBytes(note), [verifier!]);
        if (!opened.IsVerified)
        {
            return Fail(findings, "The checkpoint signature does not verify: " + opened.Status + ".");
        }

        if (!Checkpoint.TryParse(opened.Text!, out var checkpoint))
        {
            return Fail(findings, "The signed checkpoint body is malformed.");
        }

        findings.Add($"Checkpoint signature verified: {checkpoint!.Origin}, size {checkpoint.Size}, root {Convert.ToBase64String(checkpoint.RootHash)}.");

        var frontier = new MerkleFrontier();
        if (trusted is not null)
        {
            var trustedRoot = Convert.FromBase64String(trusted.Root);
            if (checkpoint.Origin != trusted.Origin)
            {
                return Fail(findings, $"The origin changed from '{trusted.Origin}' to '{checkpoint.Origin}'.");
            }

            if (checkpoint.Size < trusted.Size)
            {
                return Fail(findings, $"The log shrank from {trusted.Size} to {checkpoint.Size} entries: it was rolled back or rewritten.");
            }

            if (checkpoint.Size == trusted.Size && !checkpoint.RootHash.AsSpan().SequenceEqual(trustedRoot))
            {
                return Fail(findings, $"Two different roots for size {trusted.Size}: the log forked.");
            }

            if (checkpoint.Size > trusted.Size && trusted.Size > 0)
            {
                var proof = await client.GetConsistencyProofAsync(trusted.Size, checkpoint.Size, ct);
                if (!MerkleProof.VerifyConsistency(trusted.Size, checkpoint.Size, trustedRoot, checkpoint.RootHash, Decode(proof.Hashes)))
                {
                    return Fail(findings, $"The consistency proof from {trusted.Size} to {checkpoint.Size} does not verify: the log was rewritten or forked.");
                }

                findings.Add($"Consistency from {trusted.Size} to {checkpoint.Size} verified.");
            }

            frontier = MerkleFrontier.Restore(trusted.Size, trusted.Frontier.Select(Convert.FromBase64String).ToList());
            if (!frontier.Root().AsSpan().SequenceEqual(trustedRoot))
            {
                return Fail(findings, "The stored audit state is inconsistent (its right edge does not give its root).");
            }
        }

        if (checkEntries)
        {
            for (var start = frontier.Size; start < checkpoint.Size;)
            {
                var page = await client.GetLogEntriesAsync(start, (int)Math.Min(PageSize, checkpoint.Size - start), ct);
                if (page.Entries.Length == 0)
                {
                    return Fail(findings, $"The log serves no entry at {start} although its checkpoint has {checkpoint.Size}.");
                }

                foreach (var entry in page.Entries)
                {
                    if (entry.Index != frontier.Size)
                    {
                        return Fail(findings, $"Expected entry {frontier.Size}, got {entry.Index}.");
                    }

                    frontier.Append(MerkleHash.LeafHash(Convert.FromBase64String(entry.Data)));
                }

                start = frontier.Size;
            }

            if (!frontier.Root().AsSpan().SequenceEqual(checkpoint.RootHash))
            {
                return Fail(findings, $"Re-hashing the entries does not give the checkpoint's root for size {checkpoint.Size}: entries were altered.");
            }

            findings.Add($"Every entry up to {checkpoint.Size} re-hashed to the checkpoint root.");
        }

        foreach (var credential in credentials)
        {
            if (await CheckInclusionAsync(credential, checkpoint, ct) is { } problem)
            {
                return Fail(findings, problem);
            }

            findings.Add($"Credential at log index {credential.LogIndex} is included.");
        }

        var state = checkEntries
            ? new AuditState(checkpoint.Origin, verifierKey, checkpoint.Size, Convert.ToBase64String(checkpoint.RootHash),
                frontier.Export().Select(Convert.ToBase64String).ToArray(), note)
            : trusted;
        return new AuditReport(true, state, findings);
    }

    private async Task<string?> CheckInclusionAsync(CredentialToCheck credential, Checkpoint checkpoint, CancellationToken ct)
    {
        if (credential.LogIndex < 0 || credential.LogIndex >= checkpoint.Size)
        {
            return $"Log index {credential.LogIndex} is not in the tree of size {checkpoint.Size}.";
        }

        var page = await client.GetLogEntriesAsync(credential.LogIndex, 1, ct);
        var data = Convert.FromBase64String(page.Entries.Single().Data);
        var expected = Convert.ToHexStringLower(SHA256.HashData(credential.Certificate));
        if (!UntrustedJson.TryParse(data, out var entry))
        {
            return $"Entry {credential.LogIndex} is not a JSON log entry.";
        }

        using (entry)
        {
            if (entry.RootElement.ValueKind != JsonValueKind.Object || !entry.RootElement.TryGetProperty("certificateSha256", out var hash)
                || hash.ValueKind != JsonValueKind.String || hash.GetString() != expected)
            {
                return $"Entry {credential.LogIndex} does not log this certificate.";
            }
        }

        var proof = await client.GetInclusionProofAsync(credential.LogIndex, checkpoint.Size, ct);
        return MerkleProof.VerifyInclusion(MerkleHash.LeafHash(data), credential.LogIndex, checkpoint.Size, Decode(proof.Hashes), checkpoint.RootHash)
            ? null
            : $"The inclusion proof of entry {credential.LogIndex} does not verify against the checkpoint.";
    }

    private static AuditReport Fail(List<string> findings, string problem)
    {
        findings.Add("FAILED: " + problem);
        return new AuditReport(false, null, findings);
    }

    private static byte[][] Decode(string[] hashes) => hashes.Select(Convert.FromBase64String).ToArray();
}

/// <summary>
/// The right edge of a Merkle tree: one hash per perfect subtree, largest first. Enough to extend the tree leaf by
/// leaf and compute its root, so an auditor keeps O(log n) state and re-hashes only what is new.
/// </summary>
internal sealed class MerkleFrontier
{
    private readonly List<byte[]> _subtrees = [];

    public long Size { get; private set; }

    public static MerkleFrontier Restore(long size, List<byte[]> subtrees)
    {
        if (subtrees.Count != long.PopCount(size))
        {
            throw new InvalidDataException($"A tree of size {size} has {long.PopCount(size)} right-edge subtrees, not {subtrees.Count}.");
        }

        var frontier = new MerkleFrontier { Size = size };
        frontier._subtrees.AddRange(subtrees);
        return frontier;
    }

    public IReadOnlyList<byte[]> Export() => _subtrees;

    public void Append(byte[] leafHash)
    {
        var hash = leafHash;
        // Each trailing one bit of the old size is a perfect subtree of the same height that the new one completes.
        for (var size = Size; (size & 1) == 1; size >>= 1)
        {
            hash = MerkleHash.NodeHash(_subtrees[^1], hash);
            _subtrees.RemoveAt(_subtrees.Count - 1);
        }

        _subtrees.Add(hash);
        Size++;
    }

    public byte[] Root()
    {
        if (_subtrees.Count == 0)
        {
            return MerkleHash.EmptyRoot.ToArray();
        }

        var hash = _subtrees[^1];
        for (var i = _subtrees.Count - 2; i >= 0; i--)
        {
            hash = MerkleHash.NodeHash(_subtrees[i], hash);
        }

        return hash;
    }
}
