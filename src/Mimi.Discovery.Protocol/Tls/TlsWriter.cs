using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Mimi.Discovery.Protocol.Tls;

/// <summary>
/// A writer of the TLS presentation language over a growable pooled buffer. Writing a value that cannot be
/// encoded (a vector longer than its length prefix allows) is a programming error and throws.
/// </summary>
public sealed class TlsWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates a writer with a pooled buffer of at least <paramref name="initialCapacity"/> bytes.</summary>
    public TlsWriter(int initialCapacity = 256) =>
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far; valid until the next write.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Copies the bytes written into a new array.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Copies the bytes written to <paramref name="destination"/>.</summary>
    public void CopyTo(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(WrittenSpan);
    }

    /// <summary>Writes a uint8.</summary>
    public void WriteUInt8(byte value) => Reserve(1)[0] = value;

    /// <summary>Writes a big-endian uint16.</summary>
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    /// <summary>Writes a big-endian uint24.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value needs more than 24 bits.</exception>
    public void WriteUInt24(uint value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 0xFF_FFFFu);
        var span = Reserve(3);
        span[0] = (byte)(value >> 16);
        span[1] = (byte)(value >> 8);
        span[2] = (byte)value;
    }

    /// <summary>Writes a big-endian uint32.</summary>
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    /// <summary>Writes a big-endian uint64.</summary>
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Reserve(8), value);

    /// <summary>Writes raw bytes (a fixed-length <c>opaque[N]</c> or pre-encoded structure).</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>Writes a minimal RFC 9420 variable-length integer.</summary>
    public void WriteVarint(int value) => TlsVarint.Write(Reserve(TlsVarint.GetEncodedLength(value)), value);

    /// <summary>Writes a length-prefixed opaque vector.</summary>
    /// <exception cref="ArgumentException">The bytes are longer than the prefix (or <paramref name="maxLength"/>) allows.</exception>
    public void WriteOpaque(ReadOnlySpan<byte> bytes, TlsLengthPrefix prefix, int maxLength = -1)
    {
        var max = EffectiveMaximum(prefix, maxLength);
        if (bytes.Length > max)
        {
            throw new ArgumentException($"A vector of {bytes.Length} bytes exceeds its maximum of {max}.", nameof(bytes));
        }

        WriteLength(bytes.Length, prefix);
        WriteBytes(bytes);
    }

    /// <summary>Writes a string as a length-prefixed UTF-8 opaque vector.</summary>
    public void WriteUtf8(string value, TlsLengthPrefix prefix, int maxLength = -1)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteOpaque(Encoding.UTF8.GetBytes(value), prefix, maxLength);
    }

    /// <summary>Writes the presence octet of an RFC 9420 <c>optional&lt;T&gt;</c>.</summary>
    public void WritePresence(bool present) => WriteUInt8(present ? (byte)1 : (byte)0);

    /// <summary>Opens a length-prefixed vector whose length is filled in by <see cref="EndVector"/>.</summary>
    public TlsWriterScope BeginVector(TlsLengthPrefix prefix, int maxLength = -1)
    {
        var start = _length;
        // A varint prefix starts at one byte and is widened, if needed, when the length is known.
        Reserve(prefix == TlsLengthPrefix.Varint ? 1 : (int)prefix);
        return new TlsWriterScope(start, prefix, EffectiveMaximum(prefix, maxLength));
    }

    /// <summary>Closes the innermost open vector, writing its length.</summary>
    /// <exception cref="InvalidOperationException">The contents exceed the vector's maximum length.</exception>
    public void EndVector(TlsWriterScope scope)
    {
        var headerSize = scope.Prefix == TlsLengthPrefix.Varint ? 1 : (int)scope.Prefix;
        var contentStart = scope.Start + headerSize;
        var contentLength = _length - contentStart;
        if (contentLength > scope.MaxLength)
        {
            throw new InvalidOperationException($"A vector of {contentLength} bytes exceeds its maximum of {scope.MaxLength}.");
        }

        if (scope.Prefix == TlsLengthPrefix.Varint)
        {
            var needed = TlsVarint.GetEncodedLength(contentLength);
            if (needed > 1)
            {
                Reserve(needed - 1);
                _buffer.AsSpan(contentStart, contentLength).CopyTo(_buffer.AsSpan(scope.Start + needed));
            }

            TlsVarint.Write(_buffer.AsSpan(scope.Start), contentLength);
            return;
        }

        WriteLengthAt(_buffer.AsSpan(scope.Start, headerSize), contentLength, scope.Prefix);
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteLength(int length, TlsLengthPrefix prefix)
    {
        if (prefix == TlsLengthPrefix.Varint)
        {
            WriteVarint(length);
            return;
        }

        WriteLengthAt(Reserve((int)prefix), length, prefix);
    }

    private static void WriteLengthAt(Span<byte> header, int length, TlsLengthPrefix prefix)
    {
        switch (prefix)
        {
            case TlsLengthPrefix.UInt8:
                header[0] = (byte)length;
                break;
            case TlsLengthPrefix.UInt16:
                BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)length);
                break;
            case TlsLengthPrefix.UInt24:
                header[0] = (byte)(length >> 16);
                header[1] = (byte)(length >> 8);
                header[2] = (byte)length;
                break;
            default:
                BinaryPrimitives.WriteUInt32BigEndian(header, (uint)length);
                break;
        }
    }

    private static int EffectiveMaximum(TlsLengthPrefix prefix, int maxLength) =>
        maxLength < 0 ? prefix.NaturalMaximum() : Math.Min(maxLength, prefix.NaturalMaximum());

    private Span<byte> Reserve(int count)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_buffer.Length - _length < count)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
