namespace Mimi.Discovery.Oprf;

/// <summary>
/// The blinded elements a client sends for evaluation. Wire form (as in @cloudflare/voprf-ts): a 2-byte
/// big-endian count, then that many <see cref="OprfSuite.ElementLength"/>-byte elements, nothing after.
/// </summary>
public sealed class OprfEvaluationRequest
{
    /// <summary>A request for the given blinded elements, in order.</summary>
    /// <exception cref="ArgumentException">The list is empty or longer than <see cref="OprfSuite.MaxBatchSize"/>.</exception>
    public OprfEvaluationRequest(IReadOnlyList<OprfElement> blindedElements)
    {
        ArgumentNullException.ThrowIfNull(blindedElements);
        WireFormat.CheckBatchSize(blindedElements.Count, nameof(blindedElements));
        BlindedElements = blindedElements;
    }

    /// <summary>The blinded elements, in the order their evaluations come back.</summary>
    public IReadOnlyList<OprfElement> BlindedElements { get; }

    /// <summary>Decodes and validates a request from a client.</summary>
    /// <param name="encoded">The wire form.</param>
    /// <param name="maxBatchSize">The largest batch the caller accepts.</param>
    /// <returns>The request; or <see cref="OprfStatus.EmptyBatch"/>, <see cref="OprfStatus.BatchTooLarge"/>,
    /// <see cref="OprfStatus.InvalidLength"/>, or the first element's failure.</returns>
    public static OprfResult<OprfEvaluationRequest> Decode(ReadOnlySpan<byte> encoded, int maxBatchSize = OprfSuite.MaxBatchSize)
    {
        var status = WireFormat.ReadElements(encoded, maxBatchSize, out var elements, out var rest);
        if (status != OprfStatus.Success)
        {
            return OprfResult<OprfEvaluationRequest>.Failure(status);
        }

        return rest.IsEmpty
            ? OprfResult<OprfEvaluationRequest>.Success(new OprfEvaluationRequest(elements!))
            : OprfResult<OprfEvaluationRequest>.Failure(OprfStatus.InvalidLength);
    }

    /// <summary>The wire form.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[WireFormat.ElementsLength(BlindedElements.Count)];
        WireFormat.WriteElements(BlindedElements, bytes);
        return bytes;
    }
}
