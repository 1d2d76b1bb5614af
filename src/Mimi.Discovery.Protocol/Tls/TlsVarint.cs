using System.Buffers.Binary;

namespace Mimi.Discovery.Protocol.Tls;

/// <summary>
/// The variable-length integer of RFC 9420 §2.1.2 (QUIC's, RFC 9000 §16, limited to 1, 2 or 4 bytes and
/// required to be minimal). It encodes the length of every <c>&lt;V&gt;</c> vector.
/// </summary>
public static class TlsVarint
{
    /// <summary>The largest encodable value, 2^30 - 1.</summary>
    public const int MaxValue = (1 << 30) - 1;

    /// <summary>How many bytes <paramref name="value"/> takes: 1, 2 or 4.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above <see cref="MaxValue"/>.</exception>
    public static int GetEncodedLength(int value) => value switch
    {
        < 0 or > MaxValue => throw new ArgumentOutOfRangeException(nameof(value), value, "RFC 9420 vector lengths are 0 .. 2^30-1."),
        < 1 << 6 => 1,
        < 1 << 14 => 2,
        _ => 4,
    };

    /// <summary>Writes the minimal encoding of <paramref name="value"/>; returns the number of bytes written.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is out of range.</exception>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public static int Write(Span<byte> destination, int value)
    {
        var length = GetEncodedLength(value);
        if (destination.Length < length)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }

        switch (length)
        {
            case 1:
                destination[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(0x4000 | value));
                break;
            default:
                BinaryPrimitives.WriteUInt32BigEndian(destination, 0x8000_0000u | (uint)value);
                break;
        }

        return length;
    }

    /// <summary>
    /// Reads a variable-length integer from the start of <paramref name="source"/>. Never throws: returns
    /// <see cref="TlsErrorKind.None"/> and sets <paramref name="value"/> and <paramref name="bytesRead"/> on success,
    /// otherwise the reason (truncated, prefix 0b11, or a non-minimal encoding).
    /// </summary>
    public static TlsErrorKind TryRead(ReadOnlySpan<byte> source, out int value, out int bytesRead)
    {
        value = 0;
        bytesRead = 0;
        if (source.IsEmpty)
        {
            return TlsErrorKind.Truncated;
        }

        var prefix = source[0] >> 6;
        if (prefix == 3)
        {
            return TlsErrorKind.InvalidVarint;
        }

        var length = 1 << prefix;
        if (source.Length < length)
        {
            return TlsErrorKind.Truncated;
        }

        var v = length switch
        {
            1 => source[0] & 0x3f,
            2 => BinaryPrimitives.ReadUInt16BigEndian(source) & 0x3fff,
            _ => (int)(BinaryPrimitives.ReadUInt32BigEndian(source) & 0x3fff_ffff),
        };

        // RFC 9420 §2.1.2: a value that would fit in half the length is malformed.
        if (prefix >= 1 && v < 1 << ((8 * (length / 2)) - 2))
        {
            return TlsErrorKind.NonMinimalVarint;
        }

        value = v;
        bytesRead = length;
        return TlsErrorKind.None;
    }
}
