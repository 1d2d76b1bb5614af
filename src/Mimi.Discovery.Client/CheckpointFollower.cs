using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Client;

/// <summary>
/// How a client of the log (auditor, monitor) moves from the checkpoint it trusted last to the newest one: the same
/// verifier key, the log's signature and the witness quorum, the same origin, no shrinking, no second root for the same
/// size, a consistency proof from the trusted tree to the new one, and the trusted right edge restored to extend.
/// </summary>
internal static class CheckpointFollower
{
    /// <summary>What a client trusted last (the common part of <see cref="AuditState"/> and <see cref="MonitorState"/>).</summary>
    public sealed record Trusted(string Origin, string VerifierKey, long Size, byte[] Root, string[] Frontier);

    /// <summary>The newest checkpoint, its signed text and the trusted right edge (empty on a first run), or the problem that stops the client.</summary>
    public sealed record Outcome(Checkpoint? Checkpoint, string? Note, MerkleFrontier? Edge, string? Problem)
    {
        public static Outcome Fail(string problem, string? note = null) => new(null, note, null, problem);
    }

    public static async Task<Outcome> AdvanceAsync(MimiDiscoveryClient client, CheckpointTrust trust, Trusted? trusted, List<string> findings, CancellationToken ct)
    {
        if (trusted is not null && trusted.VerifierKey != trust.Log.VerifierKey)
        {
            return Outcome.Fail($"The verifier key changed: trusted '{trusted.VerifierKey}', given '{trust.Log.VerifierKey}'.");
        }

        var note = await client.GetCheckpointAsync(ct);
        var verified = trust.Verify(note);
        if (!verified.IsTrusted)
        {
            return Outcome.Fail(verified.Status == CheckpointTrustStatus.LogSignature ? "The checkpoint signature does not verify: " + verified.Reason : verified.Reason, note);
        }

        var checkpoint = verified.Checkpoint!;
        findings.Add($"Checkpoint signature verified: {checkpoint.Origin}, size {checkpoint.Size}, root {Convert.ToBase64String(checkpoint.RootHash)}.");
        if (trust.Witnesses.Count > 0)
        {
            findings.Add($"Witness quorum met: {verified.Cosignatures.Count} of {trust.Witnesses.Count} configured witnesses cosigned (quorum {trust.Quorum})"
                + (verified.Cosignatures.Count > 0 ? $": {string.Join(", ", verified.Cosignatures.Select(c => c.Name))}." : "."));
        }

        if (trusted is null)
        {
            return new Outcome(checkpoint, note, new MerkleFrontier(), null);
        }

        if (checkpoint.Origin != trusted.Origin)
        {
            return Outcome.Fail($"The origin changed from '{trusted.Origin}' to '{checkpoint.Origin}'.", note);
        }

        if (checkpoint.Size < trusted.Size)
        {
            return Outcome.Fail($"The log shrank from {trusted.Size} to {checkpoint.Size} entries: it was rolled back or rewritten.", note);
        }

        if (checkpoint.Size == trusted.Size && !checkpoint.RootHash.AsSpan().SequenceEqual(trusted.Root))
        {
            return Outcome.Fail($"Two different roots for size {trusted.Size}: the log forked.", note);
        }

        if (checkpoint.Size > trusted.Size && trusted.Size > 0)
        {
            ConsistencyProof proof;
            try
            {
                proof = await client.GetConsistencyProofAsync(trusted.Size, checkpoint.Size, ct);
            }
            catch (MimiApiException e)
            {
                return Outcome.Fail($"The log gives no consistency proof from {trusted.Size} to {checkpoint.Size} ({e.Message}): the checkpoint is not of the tree it serves; it forked.", note);
            }

            if (!MerkleProof.VerifyConsistency(trusted.Size, checkpoint.Size, trusted.Root, checkpoint.RootHash, [.. proof.Hashes.Select(Convert.FromBase64String)]))
            {
                return Outcome.Fail($"The consistency proof from {trusted.Size} to {checkpoint.Size} does not verify: the log was rewritten or forked.", note);
            }

            findings.Add($"Consistency from {trusted.Size} to {checkpoint.Size} verified.");
        }

        var edge = MerkleFrontier.Restore(trusted.Size, [.. trusted.Frontier.Select(Convert.FromBase64String)]);
        return edge.Root().AsSpan().SequenceEqual(trusted.Root)
            ? new Outcome(checkpoint, note, edge, null)
            : Outcome.Fail("The stored state is inconsistent (its right edge does not give its root).", note);
    }
}
