namespace Mimi.Discovery.Oprf;

/// <summary>
/// A server's answer to an <see cref="OprfEvaluationRequest"/>: one evaluated element per blinded element and, in
/// verifiable mode, one DLEQ proof for the whole batch. Wire form (as in @cloudflare/voprf-ts): a 2-byte
/// big-endian count, the evaluated elements, one byte holding the mode, then the proof in VOPRF mode.
/// </summary>
public sealed class OprfEvaluation
{
    /// <summary>An evaluation from its parts.</summary>
    /// <exception cref="ArgumentException">The batch is empty or too large, or the proof is missing in VOPRF mode or present in OPRF mode.</exception>
    public OprfEvaluation(OprfMode mode, IReadOnlyList<OprfElement> evaluatedElements, OprfProof? proof)
    {
        ArgumentNullException.ThrowIfNull(evaluatedElements);
        _ = OprfContext.For(mode);
        WireFormat.CheckBatchSize(evaluatedElements.Count, nameof(evaluatedElements));
        if ((mode == OprfMode.Voprf) != (proof is not null))
        {
            throw new ArgumentException("A VOPRF evaluation carries a proof and an OPRF evaluation none.", nameof(proof));
        }

        Mode = mode;
        EvaluatedElements = evaluatedElements;
        Proof = proof;
    }

    /// <summary>The mode the server evaluated in.</summary>
    public OprfMode Mode { get; }

    /// <summary>The evaluated elements, in the order of the request.</summary>
    public IReadOnlyList<OprfElement> EvaluatedElements { get; }

    /// <summary>The batch's DLEQ proof in VOPRF mode; null in OPRF mode.</summary>
    public OprfProof? Proof { get; }

    /// <summary>Decodes and validates an evaluation from a server.</summary>
    /// <param name="encoded">The wire form.</param>
    /// <param name="maxBatchSize">The largest batch the caller accepts.</param>
    /// <returns>The evaluation, or why it was refused (<see cref="OprfStatus.InvalidEncoding"/> for an unknown mode).</returns>
    public static OprfResult<OprfEvaluation> Decode(ReadOnlySpan<byte> encoded, int maxBatchSize = OprfSuite.MaxBatchSize)
    {
        var status = WireFormat.ReadElements(encoded, maxBatchSize, out var elements, out var rest);
        if (status != OprfStatus.Success)
        {
            return OprfResult<OprfEvaluation>.Failure(status);
        }

        if (rest.IsEmpty)
        {
            return OprfResult<OprfEvaluation>.Failure(OprfStatus.InvalidLength);
        }

        switch ((OprfMode)rest[0])
        {
            case OprfMode.Oprf:
                return rest.Length == 1
                    ? OprfResult<OprfEvaluation>.Success(new OprfEvaluation(OprfMode.Oprf, elements!, null))
                    : OprfResult<OprfEvaluation>.Failure(OprfStatus.InvalidLength);
            case OprfMode.Voprf:
                var proof = OprfProof.Decode(rest[1..]);
                return proof.IsSuccess
                    ? OprfResult<OprfEvaluation>.Success(new OprfEvaluation(OprfMode.Voprf, elements!, proof.Value))
                    : OprfResult<OprfEvaluation>.Failure(proof.Status);
            default:
                return OprfResult<OprfEvaluation>.Failure(OprfStatus.InvalidEncoding);
        }
    }

    /// <summary>The wire form.</summary>
    public byte[] ToArray()
    {
        var elementsLength = WireFormat.ElementsLength(EvaluatedElements.Count);
        var bytes = new byte[elementsLength + 1 + (Proof is null ? 0 : OprfSuite.ProofLength)];
        WireFormat.WriteElements(EvaluatedElements, bytes);
        bytes[elementsLength] = (byte)Mode;
        Proof?.CopyTo(bytes.AsSpan(elementsLength + 1));
        return bytes;
    }
}
