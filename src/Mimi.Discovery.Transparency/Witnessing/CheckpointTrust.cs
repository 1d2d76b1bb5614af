using System.Text;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// What a client of the log trusts: the log's note verifier key, the witnesses' <c>cosignature/v1</c> keys and how many
/// of them must cosign a checkpoint (the quorum) before it is relied on. The one check every client (auditor, monitor,
/// credential verifier) runs on a checkpoint: <see cref="Verify(string)"/>. A quorum of 0 checks the log's signature only.
/// </summary>
public sealed class CheckpointTrust
{
    /// <summary>Creates a trust policy.</summary>
    /// <param name="log">The log's note verifier.</param>
    /// <param name="witnesses">The witnesses' verifiers; a key given twice counts once.</param>
    /// <param name="quorum">How many distinct witnesses must cosign: 0 to the number of distinct witnesses.</param>
    /// <exception cref="ArgumentOutOfRangeException">The quorum is negative or larger than the number of distinct witnesses.</exception>
    public CheckpointTrust(NoteVerifier log, IEnumerable<CosignatureVerifier> witnesses, int quorum)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(witnesses);
        var distinct = new List<CosignatureVerifier>();
        foreach (var witness in witnesses)
        {
            ArgumentNullException.ThrowIfNull(witness, nameof(witnesses));
            if (!distinct.Exists(w => w.VerifierKey == witness.VerifierKey))
            {
                distinct.Add(witness);
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegative(quorum);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quorum, distinct.Count);
        Log = log;
        Witnesses = distinct;
        Quorum = quorum;
    }

    /// <summary>
    /// A trust policy from key strings: the log's verifier key, witness verifier keys, and a quorum (all the witnesses
    /// given when null).
    /// </summary>
    /// <exception cref="FormatException">A key does not parse (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The quorum is negative or larger than the number of distinct witnesses.</exception>
    public static CheckpointTrust Create(string logVerifierKey, IEnumerable<string> witnessKeys, int? quorum = null)
    {
        ArgumentNullException.ThrowIfNull(witnessKeys);
        if (!NoteVerifier.TryParse(logVerifierKey, out var log))
        {
            throw new FormatException($"Not a note verifier key: '{logVerifierKey}'.");
        }

        var witnesses = new List<CosignatureVerifier>();
        foreach (var key in witnessKeys)
        {
            witnesses.Add(CosignatureVerifier.TryParse(key, out var witness)
                ? witness
                : throw new FormatException($"Not a cosignature/v1 witness verifier key: '{key}'."));
        }

        return new CheckpointTrust(log, witnesses, quorum ?? witnesses.DistinctBy(w => w.VerifierKey).Count());
    }

    /// <summary>The log's note verifier.</summary>
    public NoteVerifier Log { get; }

    /// <summary>The distinct witnesses whose cosignatures count.</summary>
    public IReadOnlyList<CosignatureVerifier> Witnesses { get; }

    /// <summary>How many distinct witnesses must cosign.</summary>
    public int Quorum { get; }

    /// <summary>Verifies a signed checkpoint (the text <c>/log/checkpoint</c> serves); never throws on bad input.</summary>
    public CheckpointVerification Verify(string signedCheckpoint)
    {
        ArgumentNullException.ThrowIfNull(signedCheckpoint);
        return signedCheckpoint.Length > SignedNote.MaxLength
            ? Fail(CheckpointTrustStatus.Malformed, $"The checkpoint is larger than {SignedNote.MaxLength} bytes.")
            : Verify(Encoding.UTF8.GetBytes(signedCheckpoint));
    }

    /// <summary>Verifies a signed checkpoint given as bytes; never throws on bad input.</summary>
    public CheckpointVerification Verify(ReadOnlySpan<byte> signedCheckpoint)
    {
        var opened = SignedNote.Open(signedCheckpoint, [Log]);
        switch (opened.Status)
        {
            case NoteStatus.Malformed or NoteStatus.TooLarge:
                return Fail(CheckpointTrustStatus.Malformed, $"The checkpoint is not a well-formed signed note ({opened.Status}).");
            case NoteStatus.UnknownKey:
                return Fail(CheckpointTrustStatus.LogSignature, $"The checkpoint carries no signature by the log's key {Log.Name}+{Log.KeyId:x8}.");
            case NoteStatus.BadSignature:
                return Fail(CheckpointTrustStatus.LogSignature, "The log's signature on the checkpoint does not verify.");
        }

        var body = opened.Text!;
        if (!Checkpoint.TryParse(body, out var checkpoint))
        {
            return Fail(CheckpointTrustStatus.Malformed, "The signed checkpoint body is malformed (origin, size, base64 root, extension lines).");
        }

        // SignedNote.Open checked the layout: after the body and the blank line come whole signature lines.
        var signatures = Encoding.UTF8.GetString(signedCheckpoint[(Encoding.UTF8.GetByteCount(body) + 1)..]);
        var verified = new List<Cosignature>();
        foreach (var line in signatures.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Cosignature.TryParse(line, out var cosignature))
            {
                continue;
            }

            var witness = Witnesses.FirstOrDefault(w => w.Matches(cosignature));
            if (witness is null || verified.Exists(witness.Matches))
            {
                continue;
            }

            if (!witness.Verify(body, cosignature))
            {
                return new CheckpointVerification(CheckpointTrustStatus.BadCosignature,
                    $"The cosignature of witness {witness.Name} on the checkpoint of size {checkpoint.Size} does not verify: it is forged or for another checkpoint.",
                    checkpoint, body, verified);
            }

            verified.Add(cosignature);
        }

        var cosigners = verified.Count == 0 ? "none" : string.Join(", ", verified.Select(c => c.Name));
        if (verified.Count < Quorum)
        {
            return new CheckpointVerification(CheckpointTrustStatus.Quorum,
                $"Witness quorum not met: {verified.Count} of the {Quorum} required cosignatures (from {Witnesses.Count} configured witnesses) on the checkpoint of size {checkpoint.Size}; cosigned by: {cosigners}.",
                checkpoint, body, verified);
        }

        var reason = Quorum == 0 && Witnesses.Count == 0
            ? $"The log's signature verified (no witness quorum required): {checkpoint.Origin}, size {checkpoint.Size}."
            : $"The log's signature and {verified.Count} witness cosignatures verified (quorum {Quorum} of {Witnesses.Count}): {checkpoint.Origin}, size {checkpoint.Size}; cosigned by: {cosigners}.";
        return new CheckpointVerification(CheckpointTrustStatus.Trusted, reason, checkpoint, body, verified);
    }

    private static CheckpointVerification Fail(CheckpointTrustStatus status, string reason) => new(status, reason, null, null, []);
}
