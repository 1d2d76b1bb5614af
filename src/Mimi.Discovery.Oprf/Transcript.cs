using System.Buffers.Binary;

namespace Mimi.Discovery.Oprf;

/// <summary>Writes the length-prefixed transcripts RFC 9497 hashes (I2OSP(len(x), 2) || x), into a caller's buffer.</summary>
internal ref struct Transcript
{
    private readonly Span<byte> _buffer;
    private int _length;

    public Transcript(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
    }

    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    public void WriteUInt16(int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_length..], checked((ushort)value));
        _length += 2;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[_length..]);
        _length += bytes.Length;
    }

    public void WriteLengthPrefixed(ReadOnlySpan<byte> bytes)
    {
        WriteUInt16(bytes.Length);
        Write(bytes);
    }
}
