using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Mimi.Discovery.Oprf;

/// <summary>
/// The server side of RFC 9497 in one mode with one key: evaluates blinded elements (with a batched DLEQ proof in
/// VOPRF mode) and evaluates inputs directly. Immutable and safe to share between threads.
/// </summary>
public sealed class OprfServer
{
    private readonly OprfContext _context;
    private readonly byte[] _seed;

    /// <summary>A server evaluating with <paramref name="key"/> in <paramref name="mode"/>.</summary>
    public OprfServer(OprfMode mode, OprfKeyPair key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _context = OprfContext.For(mode);
        Key = key;

        // The DLEQ seed depends only on the public key and the mode: hash it once, not per evaluation.
        _seed = Dleq.ComputeSeed(key.PublicKey, _context);
    }

    /// <summary>The mode this server evaluates in.</summary>
    public OprfMode Mode => _context.Mode;

    /// <summary>The key this server evaluates with.</summary>
    public OprfKeyPair Key { get; }

    /// <summary>
    /// BlindEvaluate: k·Cᵢ for each blinded element, and in VOPRF mode one proof over the batch
    /// (see <see cref="OprfSuite.ScalarMultiplicationsPerEvaluation"/> for the cost).
    /// </summary>
    /// <param name="blindedElements">Validated elements, typically from <see cref="OprfEvaluationRequest.Decode"/>.</param>
    /// <exception cref="ArgumentException">The batch is empty or larger than <see cref="OprfSuite.MaxBatchSize"/>.</exception>
    public OprfEvaluation BlindEvaluate(IReadOnlyList<OprfElement> blindedElements) =>
        BlindEvaluate(blindedElements, Mode == OprfMode.Voprf ? P256.RandomScalar() : null);

    /// <summary>BlindEvaluate with given proof randomness r (the test vectors fix it).</summary>
    internal OprfEvaluation BlindEvaluate(IReadOnlyList<OprfElement> blindedElements, BigInteger? proofRandomness)
    {
        ArgumentNullException.ThrowIfNull(blindedElements);
        WireFormat.CheckBatchSize(blindedElements.Count, nameof(blindedElements));

        var count = blindedElements.Count;
        var points = new ECPoint[count];
        for (var i = 0; i < count; i++)
        {
            points[i] = P256.MultiplySecret(blindedElements[i].Point, Key.PrivateKey);
        }

        var evaluated = new OprfElement[count];
        OprfElement.FromPoints(points, evaluated, count);

        OprfProof? proof = null;
        if (Mode == OprfMode.Voprf)
        {
            var r = proofRandomness ?? throw new ArgumentNullException(nameof(proofRandomness), "A VOPRF proof needs randomness.");
            proof = Dleq.Generate(Key.PrivateKey, Key.PublicKey, _seed, blindedElements, evaluated, r, _context);
        }

        return new OprfEvaluation(Mode, evaluated, proof);
    }

    /// <summary>
    /// Evaluate (RFC 9497 §3.3.1): the PRF output for an input the server knows, equal to what a client gets by
    /// blinding, evaluation and finalization. Used to build records server-side.
    /// </summary>
    /// <param name="input">The input, at most <see cref="OprfSuite.MaxInputLength"/> bytes.</param>
    /// <returns><see cref="OprfSuite.OutputLength"/> bytes.</returns>
    public byte[] Evaluate(ReadOnlySpan<byte> input)
    {
        OprfOutput.CheckInputLength(input);
        var element = HashToCurve.HashToGroup(input, _context.HashToGroupDst);
        if (element.IsInfinity)
        {
            throw new InvalidOperationException("The input hashes to the identity element.");
        }

        var evaluated = OprfElement.FromNormalized(P256.MultiplySecret(element, Key.PrivateKey).Normalize());
        return OprfOutput.Compute(input, evaluated);
    }
}
