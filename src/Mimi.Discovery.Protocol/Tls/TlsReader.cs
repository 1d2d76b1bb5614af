using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Mimi.Discovery.Protocol.Tls;

/// <summary>Reads one item of type <typeparamref name="T"/>; on failure the reader holds the error.</summary>
public delegate bool TlsItemReader<T>(ref TlsReader reader, [MaybeNullWhen(false)] out T item);

/// <summary>A position inside a length-delimited vector, returned by <see cref="TlsReader.TryEnterVector"/>.</summary>
public readonly struct TlsVectorScope
{
    internal TlsVectorScope(int outerEnd, int end)
    {
        OuterEnd = outerEnd;
        End = end;
    }

    internal int OuterEnd { get; }

    internal int End { get; }
}

/// <summary>
/// A reader of the TLS presentation language (RFC 8446 §3) with the RFC 9420 extensions (<c>&lt;V&gt;</c>
/// vectors, <c>optional&lt;T&gt;</c>). It never throws on hostile input: every read is a <c>TryRead…</c> that
/// returns <see langword="false"/> and records the first failure in <see cref="Error"/>, naming the field and the
/// absolute byte offset. Once failed, every later read fails too, so a decoder can simply return
/// <see langword="false"/> as soon as a read does.
/// </summary>
public ref struct TlsReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private int _end;
    private TlsError _error;

    /// <summary>Starts reading <paramref name="data"/>; fails at once if it is over the configured size limit.</summary>
    public TlsReader(ReadOnlySpan<byte> data, TlsReaderOptions? options = null)
    {
        var max = (options ?? TlsReaderOptions.Default).MaxInputLength;
        _data = data;
        _end = data.Length;
        if (data.Length > max)
        {
            _error = new TlsError(TlsErrorKind.TotalSizeExceeded, "", max, $"{data.Length} bytes, limit {max}");
        }
    }

    /// <summary>The absolute offset of the next byte.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left before the end of the innermost open vector (or of the input).</summary>
    public readonly int Remaining => _end - _position;

    /// <summary>Whether a read has failed.</summary>
    public readonly bool HasError => _error.Kind != TlsErrorKind.None;

    /// <summary>The first failure, or a value with <see cref="TlsErrorKind.None"/>.</summary>
    public readonly TlsError Error => _error;

    /// <summary>Records a failure (unless one is already recorded) and returns <see langword="false"/>.</summary>
    public bool Fail(TlsErrorKind kind, string field, string? detail = null) => FailAt(kind, field, _position, detail);

    /// <summary>Records a failure at <paramref name="offset"/> (unless one is already recorded) and returns <see langword="false"/>.</summary>
    public bool FailAt(TlsErrorKind kind, string field, int offset, string? detail = null)
    {
        if (!HasError)
        {
            _error = new TlsError(kind, field, offset, detail);
        }

        return false;
    }

    /// <summary>Prefixes the recorded error's field path with <paramref name="prefix"/> (used as failures propagate outwards).</summary>
    public void PrefixError(string prefix)
    {
        if (HasError)
        {
            _error = _error.WithPrefix(prefix);
        }
    }

    /// <summary>The bytes between <paramref name="start"/> and the current position.</summary>
    public readonly ReadOnlySpan<byte> Consumed(int start) => _data[start.._position];

    /// <summary>Fails with <see cref="TlsErrorKind.TrailingBytes"/> unless the whole input has been read.</summary>
    public bool TryFinish(string field)
    {
        if (HasError)
        {
            return false;
        }

        return _position == _data.Length
            || Fail(TlsErrorKind.TrailingBytes, field, $"{_data.Length - _position} bytes left");
    }

    /// <summary>Reads a uint8.</summary>
    public bool TryReadUInt8(string field, out byte value)
    {
        value = 0;
        if (!TryTake(field, 1, out var bytes))
        {
            return false;
        }

        value = bytes[0];
        return true;
    }

    /// <summary>Reads a big-endian uint16.</summary>
    public bool TryReadUInt16(string field, out ushort value)
    {
        value = 0;
        if (!TryTake(field, 2, out var bytes))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        return true;
    }

    /// <summary>Reads a big-endian uint24.</summary>
    public bool TryReadUInt24(string field, out uint value)
    {
        value = 0;
        if (!TryTake(field, 3, out var bytes))
        {
            return false;
        }

        value = ((uint)bytes[0] << 16) | ((uint)bytes[1] << 8) | bytes[2];
        return true;
    }

    /// <summary>Reads a big-endian uint32.</summary>
    public bool TryReadUInt32(string field, out uint value)
    {
        value = 0;
        if (!TryTake(field, 4, out var bytes))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return true;
    }

    /// <summary>Reads a big-endian uint64.</summary>
    public bool TryReadUInt64(string field, out ulong value)
    {
        value = 0;
        if (!TryTake(field, 8, out var bytes))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        return true;
    }

    /// <summary>Reads a fixed-length <c>opaque field[length]</c>.</summary>
    public bool TryReadFixed(string field, int length, out ReadOnlySpan<byte> value) => TryTake(field, length, out value);

    /// <summary>Reads an RFC 9420 variable-length integer.</summary>
    public bool TryReadVarint(string field, out int value)
    {
        value = 0;
        if (HasError)
        {
            return false;
        }

        var kind = TlsVarint.TryRead(_data[_position.._end], out value, out var read);
        if (kind != TlsErrorKind.None)
        {
            return Fail(kind, field);
        }

        _position += read;
        return true;
    }

    /// <summary>
    /// Reads a vector length with the given prefix and checks it against <paramref name="maxLength"/> (or the
    /// prefix's natural maximum when negative) and against the bytes that remain.
    /// </summary>
    public bool TryReadLength(string field, TlsLengthPrefix prefix, int maxLength, out int length)
    {
        length = 0;
        var start = _position;
        long raw;
        switch (prefix)
        {
            case TlsLengthPrefix.Varint:
                if (!TryReadVarint(field, out var v))
                {
                    return false;
                }

                raw = v;
                break;
            case TlsLengthPrefix.UInt8:
                if (!TryReadUInt8(field, out var b))
                {
                    return false;
                }

                raw = b;
                break;
            case TlsLengthPrefix.UInt16:
                if (!TryReadUInt16(field, out var s))
                {
                    return false;
                }

                raw = s;
                break;
            case TlsLengthPrefix.UInt24:
                if (!TryReadUInt24(field, out var t))
                {
                    return false;
                }

                raw = t;
                break;
            default:
                if (!TryReadUInt32(field, out var u))
                {
                    return false;
                }

                raw = u;
                break;
        }

        var max = maxLength < 0 ? prefix.NaturalMaximum() : Math.Min(maxLength, prefix.NaturalMaximum());
        if (raw > max)
        {
            return FailAt(TlsErrorKind.LengthOverMaximum, field, start, $"length {raw}, maximum {max}");
        }

        if (raw > Remaining)
        {
            return FailAt(TlsErrorKind.Truncated, field, start, $"length {raw}, {Remaining} bytes remain");
        }

        length = (int)raw;
        return true;
    }

    /// <summary>Reads a length-prefixed opaque vector.</summary>
    public bool TryReadOpaque(string field, TlsLengthPrefix prefix, out ReadOnlySpan<byte> value, int maxLength = -1)
    {
        value = default;
        return TryReadLength(field, prefix, maxLength, out var length) && TryTake(field, length, out value);
    }

    /// <summary>Reads a length-prefixed opaque vector into a <see cref="ByteString"/>.</summary>
    public bool TryReadOpaque(string field, TlsLengthPrefix prefix, out ByteString value, int maxLength = -1)
    {
        value = default;
        if (!TryReadOpaque(field, prefix, out ReadOnlySpan<byte> span, maxLength))
        {
            return false;
        }

        value = ByteString.CopyFrom(span);
        return true;
    }

    /// <summary>Reads a length-prefixed opaque vector that must hold UTF-8 text.</summary>
    public bool TryReadUtf8(string field, TlsLengthPrefix prefix, out string value, int maxLength = -1)
    {
        value = "";
        var start = _position;
        if (!TryReadOpaque(field, prefix, out ReadOnlySpan<byte> span, maxLength))
        {
            return false;
        }

        if (!Utf8.IsValid(span))
        {
            return FailAt(TlsErrorKind.InvalidUtf8, field, start);
        }

        value = Encoding.UTF8.GetString(span);
        return true;
    }

    /// <summary>Reads the presence octet of an RFC 9420 <c>optional&lt;T&gt;</c> (anything but 0 or 1 is malformed).</summary>
    public bool TryReadPresence(string field, out bool present)
    {
        present = false;
        if (!TryReadUInt8(field, out var b))
        {
            return false;
        }

        if (b > 1)
        {
            return FailAt(TlsErrorKind.InvalidValue, field, _position - 1, $"presence octet {b}");
        }

        present = b == 1;
        return true;
    }

    /// <summary>Reads a one-byte enum and fails with <see cref="TlsErrorKind.UnknownEnumValue"/> on a value <typeparamref name="TEnum"/> does not define.</summary>
    public bool TryReadEnum8<TEnum>(string field, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (Unsafe.SizeOf<TEnum>() != 1)
        {
            throw new InvalidOperationException($"{typeof(TEnum).Name} is not a one-byte enum.");
        }

        if (!TryReadUInt8(field, out var b))
        {
            return false;
        }

        value = Unsafe.As<byte, TEnum>(ref b);
        return Enum.IsDefined(value) || FailAt(TlsErrorKind.UnknownEnumValue, field, _position - 1, $"value {b}");
    }

    /// <summary>Reads a two-byte enum and fails with <see cref="TlsErrorKind.UnknownEnumValue"/> on a value <typeparamref name="TEnum"/> does not define.</summary>
    public bool TryReadEnum16<TEnum>(string field, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (Unsafe.SizeOf<TEnum>() != 2)
        {
            throw new InvalidOperationException($"{typeof(TEnum).Name} is not a two-byte enum.");
        }

        if (!TryReadUInt16(field, out var s))
        {
            return false;
        }

        value = Unsafe.As<ushort, TEnum>(ref s);
        return Enum.IsDefined(value) || FailAt(TlsErrorKind.UnknownEnumValue, field, _position - 2, $"value {s}");
    }

    /// <summary>
    /// Opens a length-delimited vector: reads its length and limits further reads to its contents until
    /// <see cref="TryExitVector"/>. Scopes nest and must be closed in reverse order.
    /// </summary>
    public bool TryEnterVector(string field, TlsLengthPrefix prefix, int maxLength, out TlsVectorScope scope)
    {
        scope = default;
        if (!TryReadLength(field, prefix, maxLength, out var length))
        {
            return false;
        }

        scope = new TlsVectorScope(_end, _position + length);
        _end = scope.End;
        return true;
    }

    /// <summary>Whether the open vector has more bytes.</summary>
    public readonly bool HasMore(TlsVectorScope scope) => !HasError && _position < scope.End;

    /// <summary>Closes a vector opened by <see cref="TryEnterVector"/>; fails if its contents were not all read.</summary>
    public bool TryExitVector(string field, TlsVectorScope scope)
    {
        if (HasError)
        {
            return false;
        }

        if (_position != scope.End)
        {
            return Fail(TlsErrorKind.TrailingBytes, field, $"{scope.End - _position} bytes left inside the vector");
        }

        _end = scope.OuterEnd;
        return true;
    }

    /// <summary>Reads a vector of items, each read by <paramref name="readItem"/>; errors inside name the index.</summary>
    public bool TryReadVector<T>(string field, TlsLengthPrefix prefix, TlsItemReader<T> readItem, out ValueArray<T> items, int maxLength = -1)
    {
        items = default;
        if (!TryEnterVector(field, prefix, maxLength, out var scope))
        {
            return false;
        }

        List<T>? list = null;
        var index = 0;
        while (HasMore(scope))
        {
            var before = _position;
            if (!readItem(ref this, out var item))
            {
                PrefixError($"{field}[{index}]");
                return false;
            }

            if (_position == before)
            {
                // An element that consumes nothing would loop for ever.
                return Fail(TlsErrorKind.InvalidValue, $"{field}[{index}]", "empty element");
            }

            (list ??= []).Add(item);
            index++;
        }

        if (!TryExitVector(field, scope))
        {
            return false;
        }

        items = list is null ? default : new ValueArray<T>([.. list]);
        return true;
    }

    /// <summary>Reads a nested structure; errors inside are prefixed with <paramref name="field"/>.</summary>
    public bool TryReadStruct<T>(string field, TlsItemReader<T> read, [MaybeNullWhen(false)] out T value)
    {
        if (HasError)
        {
            value = default;
            return false;
        }

        if (read(ref this, out value))
        {
            return true;
        }

        PrefixError(field);
        return false;
    }

    /// <summary>Reads an RFC 9420 <c>optional&lt;T&gt;</c>: a presence octet, then the value if present.</summary>
    public bool TryReadOptional<T>(string field, TlsItemReader<T> read, out T? value)
        where T : class
    {
        value = null;
        if (!TryReadPresence(field, out var present))
        {
            return false;
        }

        return !present || TryReadStruct(field, read, out value);
    }

    /// <summary>Skips a length-prefixed opaque vector.</summary>
    public bool TrySkipOpaque(string field, TlsLengthPrefix prefix) => TryReadOpaque(field, prefix, out ReadOnlySpan<byte> _);

    /// <summary>Skips <paramref name="length"/> bytes.</summary>
    public bool TrySkip(string field, int length) => TryTake(field, length, out _);

    private bool TryTake(string field, int length, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (HasError)
        {
            return false;
        }

        if (length < 0 || length > _end - _position)
        {
            return Fail(TlsErrorKind.Truncated, field, $"needs {length} bytes, {_end - _position} remain");
        }

        bytes = _data.Slice(_position, length);
        _position += length;
        return true;
    }
}
