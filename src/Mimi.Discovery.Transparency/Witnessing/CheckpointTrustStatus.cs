namespace Mimi.Discovery.Transparency;

/// <summary>What <see cref="CheckpointTrust.Verify(string)"/> found.</summary>
public enum CheckpointTrustStatus
{
    /// <summary>The log's signature verified and the quorum of configured witnesses cosigned.</summary>
    Trusted,

    /// <summary>The text is not a signed checkpoint (note layout, encoding, checkpoint body).</summary>
    Malformed,

    /// <summary>The log's signature is missing or does not verify.</summary>
    LogSignature,

    /// <summary>A line carrying a configured witness's name and key ID does not verify: the log served a forged cosignature.</summary>
    BadCosignature,

    /// <summary>Fewer configured witnesses than the quorum cosigned.</summary>
    Quorum,
}
