using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Client;

/// <summary>
/// How a client of the log (auditor, monitor) moves from the checkpoint it trusted last to the newest one: the log's
/// signature and the witness quorum, the same origin, no shrinking, no second root for the same size, and a
/// consistency proof from the trusted tree to the new one.
/// </summary>
internal static class CheckpointFollower
{
    /// <summary>The checkpoint a client trusted last.</summary>
    public sealed record Trusted(string Origin, long Size, byte[] Root);

    /// <summary>The newest checkpoint and its signed text once verified, or the problem that stops the client.</summary>
    public sealed record Outcome(Checkpoint? Checkpoint, string Note, string? Problem);

    public static async Task<Outcome> AdvanceAsync(MimiDiscoveryClient client, CheckpointTrust trust, Trusted? trusted, List<string> findings, CancellationToken ct)
    {
        var note = await client.GetCheckpointAsync(ct);
        var verification = trust.Verify(note);
        if (!verification.IsTrusted)
        {
            return new Outcome(null, note, "The checkpoint is not trusted: " + verification.Reason);
        }

        var checkpoint = verification.Checkpoint!;
        findings.Add(verification.Reason);
        if (trusted is null)
        {
            return new Outcome(checkpoint, note, null);
        }

        if (checkpoint.Origin != trusted.Origin)
        {
            return new Outcome(null, note, $"The origin changed from '{trusted.Origin}' to '{checkpoint.Origin}'.");
        }

        if (checkpoint.Size < trusted.Size)
        {
            return new Outcome(null, note, $"The log shrank from {trusted.Size} to {checkpoint.Size} entries: it was rolled back or rewritten.");
        }

        if (checkpoint.Size == trusted.Size && !checkpoint.RootHash.AsSpan().SequenceEqual(trusted.Root))
        {
            return new Outcome(null, note, $"Two different roots for size {trusted.Size}: the log forked.");
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
                return new Outcome(null, note, $"The log gives no consistency proof from {trusted.Size} to {checkpoint.Size} ({e.Message}): the checkpoint is not of the tree it serves; it forked.");
            }

            if (!MerkleProof.VerifyConsistency(trusted.Size, checkpoint.Size, trusted.Root, checkpoint.RootHash, [.. proof.Hashes.Select(Convert.FromBase64String)]))
            {
                return new Outcome(null, note, $"The consistency proof from {trusted.Size} to {checkpoint.Size} does not verify: the log was rewritten or forked.");
            }

            findings.Add($"Consistency from {trusted.Size} to {checkpoint.Size} verified.");
        }

        return new Outcome(checkpoint, note, null);
    }
}
