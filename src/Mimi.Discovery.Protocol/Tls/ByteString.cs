namespace Mimi.Discovery.Protocol.Tls;

/// <summary>
/// An immutable byte string with value equality, used for opaque fields so that the message records
/// compare by content.
/// </summary>
public readonly struct ByteString : IEquatable<ByteString>
{
    private readonly byte[]? _bytes;

    private ByteString(byte[] bytes) => _bytes = bytes;

    /// <summary>The empty byte string.</summary>
    public static ByteString Empty => default;

    /// <summary>The number of bytes.</summary>
    public int Length => _bytes?.Length ?? 0;

    /// <summary>The bytes.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>The bytes as memory.</summary>
    public ReadOnlyMemory<byte> Memory => _bytes;

    /// <summary>Copies <paramref name="bytes"/> into a new byte string.</summary>
    public static ByteString CopyFrom(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? default : new ByteString(bytes.ToArray());

    /// <summary>Parses lower- or upper-case hexadecimal.</summary>
    /// <exception cref="FormatException">The text is not hexadecimal.</exception>
    public static ByteString FromHex(string hex) => new(Convert.FromHexString(hex));

    /// <summary>Copies the bytes into a new array.</summary>
    public byte[] ToArray() => Span.ToArray();

    /// <summary>Lower-case hexadecimal.</summary>
    public string ToHex() => Convert.ToHexStringLower(Span);

    /// <inheritdoc/>
    public bool Equals(ByteString other) => Span.SequenceEqual(other.Span);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ByteString other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    /// <summary>Lower-case hexadecimal.</summary>
    public override string ToString() => ToHex();

    /// <summary>Value equality.</summary>
    public static bool operator ==(ByteString left, ByteString right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(ByteString left, ByteString right) => !left.Equals(right);

    /// <summary>Wraps an array the caller will never modify again, without copying.</summary>
    internal static ByteString Wrap(byte[] bytes) => bytes.Length == 0 ? default : new ByteString(bytes);
}
