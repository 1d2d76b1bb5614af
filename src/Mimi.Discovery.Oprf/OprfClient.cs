using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Mimi.Discovery.Oprf;

/// <summary>
/// The client side of RFC 9497 in one mode: blinds inputs and finalizes the server's evaluation, checking its
/// DLEQ proof against the server's public key in VOPRF mode. Immutable and safe to share between threads.
/// </summary>
public sealed class OprfClient
{
    private readonly OprfContext _context;
    private readonly byte[]? _seed;

    /// <summary>A client for <paramref name="mode"/>; VOPRF needs the server's public key, OPRF takes none.</summary>
    /// <exception cref="ArgumentException">The public key is missing in VOPRF mode or given in OPRF mode.</exception>
    public OprfClient(OprfMode mode, OprfElement? serverPublicKey = null)
    {
        _context = OprfContext.For(mode);
        if ((mode == OprfMode.Voprf) != (serverPublicKey is not null))
        {
            throw new ArgumentException("VOPRF needs the server's public key; OPRF takes none.", nameof(serverPublicKey));
        }

        ServerPublicKey = serverPublicKey;
        _seed = serverPublicKey is null ? null : Dleq.ComputeSeed(serverPublicKey, _context);
    }

    /// <summary>The mode this client speaks.</summary>
    public OprfMode Mode => _context.Mode;

    /// <summary>The key evaluations must be proven against (VOPRF), or null (OPRF).</summary>
    public OprfElement? ServerPublicKey { get; }

    /// <summary>Blind: hashes the input to the group and multiplies it by a fresh random blind.</summary>
    /// <param name="input">The private input, at most <see cref="OprfSuite.MaxInputLength"/> bytes.</param>
    public OprfBlindedInput Blind(ReadOnlySpan<byte> input) => Blind(input, P256.RandomScalar());

    /// <summary>Blind with a given blind (the test vectors fix it).</summary>
    internal OprfBlindedInput Blind(ReadOnlySpan<byte> input, BigInteger blind)
    {
        OprfOutput.CheckInputLength(input);
        var element = HashToCurve.HashToGroup(input, _context.HashToGroupDst);
        if (element.IsInfinity)
        {
            throw new InvalidOperationException("The input hashes to the identity element.");
        }

        var blinded = OprfElement.FromNormalized(P256.MultiplySecret(element, blind).Normalize());
        return new OprfBlindedInput(input.ToArray(), blind, blinded);
    }

    /// <summary>
    /// Finalize: verifies the batch's proof (VOPRF), unblinds each evaluated element and hashes it with its input.
    /// </summary>
    /// <param name="blindedInputs">What <see cref="Blind(ReadOnlySpan{byte})"/> returned, in the order they were sent.</param>
    /// <param name="evaluation">The server's answer.</param>
    /// <returns>One <see cref="OprfSuite.OutputLength"/>-byte output per input; or <see cref="OprfStatus.ModeMismatch"/>,
    /// <see cref="OprfStatus.EmptyBatch"/>, <see cref="OprfStatus.BatchSizeMismatch"/> or <see cref="OprfStatus.InvalidProof"/>.</returns>
    public OprfResult<IReadOnlyList<byte[]>> Finalize(IReadOnlyList<OprfBlindedInput> blindedInputs, OprfEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(blindedInputs);
        ArgumentNullException.ThrowIfNull(evaluation);
        if (evaluation.Mode != Mode)
        {
            return OprfResult<IReadOnlyList<byte[]>>.Failure(OprfStatus.ModeMismatch);
        }

        var count = blindedInputs.Count;
        if (count == 0)
        {
            return OprfResult<IReadOnlyList<byte[]>>.Failure(OprfStatus.EmptyBatch);
        }

        if (count != evaluation.EvaluatedElements.Count)
        {
            return OprfResult<IReadOnlyList<byte[]>>.Failure(OprfStatus.BatchSizeMismatch);
        }

        if (Mode == OprfMode.Voprf)
        {
            var blinded = new OprfElement[count];
            for (var i = 0; i < count; i++)
            {
                blinded[i] = blindedInputs[i].BlindedElement;
            }

            if (!Dleq.Verify(ServerPublicKey!, _seed!, blinded, evaluation.EvaluatedElements, evaluation.Proof!, _context))
            {
                return OprfResult<IReadOnlyList<byte[]>>.Failure(OprfStatus.InvalidProof);
            }
        }

        var points = new ECPoint[count];
        for (var i = 0; i < count; i++)
        {
            var inverse = blindedInputs[i].Blind.ModInverse(P256.Order);
            points[i] = P256.MultiplySecret(evaluation.EvaluatedElements[i].Point, inverse);
        }

        var unblinded = new OprfElement[count];
        OprfElement.FromPoints(points, unblinded, count);
        var outputs = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            outputs[i] = OprfOutput.Compute(blindedInputs[i].Input, unblinded[i]);
        }

        return OprfResult<IReadOnlyList<byte[]>>.Success(outputs);
    }
}
