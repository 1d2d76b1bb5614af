using Org.BouncyCastle.Math.EC;

namespace Mimi.Discovery.Oprf;

/// <summary>
/// A P-256 group element other than the identity, as RFC 9497 puts it on the wire: a compressed SEC1 point of
/// <see cref="OprfSuite.ElementLength"/> bytes. Instances are immutable and safe to share between threads.
/// </summary>
public sealed class OprfElement : IEquatable<OprfElement>
{
    private readonly byte[] _encoded;

    private OprfElement(ECPoint point, byte[] encoded)
    {
        Point = point;
        _encoded = encoded;
    }

    /// <summary>The compressed SEC1 encoding (SerializeElement).</summary>
    public ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>The point, in affine coordinates. Multiplying this instance reuses its cached window table.</summary>
    internal ECPoint Point { get; }

    /// <summary>Decodes and validates an element received from a peer (DeserializeElement).</summary>
    /// <param name="encoded">Exactly <see cref="OprfSuite.ElementLength"/> bytes: 0x02 or 0x03, then x.</param>
    /// <returns>The element, or <see cref="OprfStatus.InvalidLength"/>, <see cref="OprfStatus.InvalidEncoding"/>,
    /// <see cref="OprfStatus.NotOnCurve"/> or <see cref="OprfStatus.Identity"/>.</returns>
    public static OprfResult<OprfElement> Decode(ReadOnlySpan<byte> encoded)
    {
        var status = P256.DecodeElement(encoded, out var point);
        return status == OprfStatus.Success
            ? OprfResult<OprfElement>.Success(new OprfElement(point!, encoded.ToArray()))
            : OprfResult<OprfElement>.Failure(status);
    }

    /// <summary>A copy of the encoding.</summary>
    public byte[] ToArray() => (byte[])_encoded.Clone();

    /// <inheritdoc />
    public bool Equals(OprfElement? other) => other is not null && _encoded.AsSpan().SequenceEqual(other._encoded);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as OprfElement);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_encoded);
        return hash.ToHashCode();
    }

    /// <summary>The encoding in lowercase hexadecimal.</summary>
    public override string ToString() => Convert.ToHexStringLower(_encoded);

    /// <summary>Wraps a point already in affine form (see <see cref="FromPoints"/> to normalize several at once).</summary>
    internal static OprfElement FromNormalized(ECPoint point)
    {
        if (point.IsInfinity)
        {
            throw new InvalidOperationException("The identity is not an OPRF element.");
        }

        var encoded = new byte[OprfSuite.ElementLength];
        point.EncodeTo(true, encoded);
        return new OprfElement(point, encoded);
    }

    /// <summary>
    /// Normalizes the points in place with one shared field inversion, then wraps them. The identity cannot occur
    /// for honest inputs (it needs a discrete logarithm or a hash collision), so meeting it is a bug.
    /// </summary>
    internal static void FromPoints(ECPoint[] points, OprfElement[] elements, int count)
    {
        P256.Curve.NormalizeAll(points, 0, count, null);
        for (var i = 0; i < count; i++)
        {
            elements[i] = FromNormalized(points[i]);
        }
    }
}
