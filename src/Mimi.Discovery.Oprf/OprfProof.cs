using Org.BouncyCastle.Math;

namespace Mimi.Discovery.Oprf;

/// <summary>
/// A DLEQ proof (RFC 9497 §2.2): the challenge c and the response s, showing that one key relates the blinded
/// elements to the evaluated ones as the generator to the server's public key.
/// </summary>
public sealed class OprfProof
{
    internal OprfProof(BigInteger c, BigInteger s)
    {
        C = c;
        S = s;
    }

    internal BigInteger C { get; }

    internal BigInteger S { get; }

    /// <summary>Decodes a proof: two scalars of <see cref="OprfSuite.ScalarLength"/> bytes, each below the group order.</summary>
    /// <returns>The proof, or <see cref="OprfStatus.InvalidLength"/> or <see cref="OprfStatus.InvalidEncoding"/>.</returns>
    public static OprfResult<OprfProof> Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != OprfSuite.ProofLength)
        {
            return OprfResult<OprfProof>.Failure(OprfStatus.InvalidLength);
        }

        var status = P256.DecodeScalar(encoded[..OprfSuite.ScalarLength], out var c);
        if (status != OprfStatus.Success)
        {
            return OprfResult<OprfProof>.Failure(status);
        }

        status = P256.DecodeScalar(encoded[OprfSuite.ScalarLength..], out var s);
        return status == OprfStatus.Success
            ? OprfResult<OprfProof>.Success(new OprfProof(c, s))
            : OprfResult<OprfProof>.Failure(status);
    }

    /// <summary>Writes the <see cref="OprfSuite.ProofLength"/>-byte encoding (c then s).</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < OprfSuite.ProofLength)
        {
            throw new ArgumentException($"A proof needs {OprfSuite.ProofLength} bytes.", nameof(destination));
        }

        P256.EncodeScalar(C, destination);
        P256.EncodeScalar(S, destination[OprfSuite.ScalarLength..]);
    }

    /// <summary>The <see cref="OprfSuite.ProofLength"/>-byte encoding (c then s).</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[OprfSuite.ProofLength];
        CopyTo(bytes);
        return bytes;
    }
}
