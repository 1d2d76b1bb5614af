using System.Buffers.Binary;

namespace Mimi.Discovery.Oprf;

/// <summary>The framing of element lists shared by requests and evaluations.</summary>
internal static class WireFormat
{
    internal static int ElementsLength(int count) => 2 + (count * OprfSuite.ElementLength);

    internal static void CheckBatchSize(int count, string parameterName)
    {
        if (count is < 1 or > OprfSuite.MaxBatchSize)
        {
            throw new ArgumentException($"A batch holds between 1 and {OprfSuite.MaxBatchSize} elements.", parameterName);
        }
    }

    internal static int WriteElements(IReadOnlyList<OprfElement> elements, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)elements.Count);
        var position = 2;
        for (var i = 0; i < elements.Count; i++)
        {
            elements[i].Encoded.CopyTo(destination[position..]);
            position += OprfSuite.ElementLength;
        }

        return position;
    }

    internal static OprfStatus ReadElements(
        ReadOnlySpan<byte> encoded,
        int maxBatchSize,
        out OprfElement[]? elements,
        out ReadOnlySpan<byte> rest)
    {
        elements = null;
        rest = default;
        if (encoded.Length < 2)
        {
            return OprfStatus.InvalidLength;
        }

        int count = BinaryPrimitives.ReadUInt16BigEndian(encoded);
        if (count == 0)
        {
            return OprfStatus.EmptyBatch;
        }

        if (count > maxBatchSize)
        {
            return OprfStatus.BatchTooLarge;
        }

        var length = ElementsLength(count);
        if (encoded.Length < length)
        {
            return OprfStatus.InvalidLength;
        }

        var decoded = new OprfElement[count];
        for (var i = 0; i < count; i++)
        {
            var result = OprfElement.Decode(encoded.Slice(2 + (i * OprfSuite.ElementLength), OprfSuite.ElementLength));
            if (!result.IsSuccess)
            {
                return result.Status;
            }

            decoded[i] = result.Value;
        }

        elements = decoded;
        rest = encoded[length..];
        return OprfStatus.Success;
    }
}
