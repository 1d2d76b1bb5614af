namespace Mimi.Discovery.Transparency;

/// <summary>The outcome of <see cref="CheckpointTrust.Verify(string)"/>: the checkpoint, who cosigned it, and why it is not trusted if it is not.</summary>
public sealed class CheckpointVerification
{
    internal CheckpointVerification(CheckpointTrustStatus status, string reason, Checkpoint? checkpoint, string? body,
        IReadOnlyList<Cosignature> cosignatures)
    {
        Status = status;
        Reason = reason;
        Checkpoint = checkpoint;
        Body = body;
        Cosignatures = cosignatures;
    }

    /// <summary>What verification found.</summary>
    public CheckpointTrustStatus Status { get; }

    /// <summary>Whether the checkpoint may be relied on: log signature verified and the witness quorum met.</summary>
    public bool IsTrusted => Status == CheckpointTrustStatus.Trusted;

    /// <summary>One sentence saying what verified, or naming what failed (the log signature, the quorum as N of M, a forged cosignature).</summary>
    public string Reason { get; }

    /// <summary>The parsed checkpoint once the log's signature verified (also when the quorum is not met, for reports); otherwise null.</summary>
    public Checkpoint? Checkpoint { get; }

    /// <summary>The checkpoint's note text (without signature lines) once the log's signature verified; otherwise null.</summary>
    public string? Body { get; }

    /// <summary>The verified cosignatures of configured witnesses, one per witness key (the first line of each).</summary>
    public IReadOnlyList<Cosignature> Cosignatures { get; }

    /// <inheritdoc/>
    public override string ToString() => Reason;
}
