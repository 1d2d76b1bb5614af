using System.Buffers;
using System.Security.Cryptography;

namespace Mimi.Discovery.Oprf;

/// <summary>The last step both Finalize and Evaluate share (RFC 9497 §3.3.1).</summary>
internal static class OprfOutput
{
    private const int StackLimit = 512;

    /// <summary>Hash(I2OSP(len(input), 2) || input || I2OSP(len(element), 2) || element || "Finalize").</summary>
    internal static byte[] Compute(ReadOnlySpan<byte> input, OprfElement unblinded)
    {
        var length = 2 + input.Length + 2 + OprfSuite.ElementLength + OprfContext.FinalizeLabel.Length;
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var transcript = new Transcript(buffer[..length]);
            transcript.WriteLengthPrefixed(input);
            transcript.WriteLengthPrefixed(unblinded.Encoded);
            transcript.Write(OprfContext.FinalizeLabel);
            return SHA256.HashData(transcript.Written);
        }
        finally
        {
            // The input and the unblinded element are the secrets the protocol protects.
            CryptographicOperations.ZeroMemory(buffer[..length]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    internal static void CheckInputLength(ReadOnlySpan<byte> input)
    {
        if (input.Length > OprfSuite.MaxInputLength)
        {
            throw new ArgumentException($"An OPRF input holds at most {OprfSuite.MaxInputLength} bytes.", nameof(input));
        }
    }
}
