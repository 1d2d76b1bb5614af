using Org.BouncyCastle.Math;

namespace Mimi.Discovery.Oprf;

/// <summary>
/// What the client keeps between blinding an input and finalizing its evaluation: the input, the secret blind,
/// and the blinded element it sends. Holds secrets; do not log or persist it.
/// </summary>
public sealed class OprfBlindedInput
{
    private readonly byte[] _input;

    internal OprfBlindedInput(byte[] input, BigInteger blind, OprfElement blindedElement)
    {
        _input = input;
        Blind = blind;
        BlindedElement = blindedElement;
    }

    /// <summary>The private input.</summary>
    public ReadOnlySpan<byte> Input => _input;

    /// <summary>blind·H(input), the element sent to the server.</summary>
    public OprfElement BlindedElement { get; }

    internal BigInteger Blind { get; }
}
