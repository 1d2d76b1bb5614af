using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Support;

internal delegate bool TryDecode<T>(ReadOnlySpan<byte> data, [NotNullWhen(true)] out T? value, out TlsError error, TlsReaderOptions? options);

/// <summary>The checks every message type must pass.</summary>
internal static class Codec
{
    /// <summary>Encode, decode, compare, re-encode byte for byte.</summary>
    public static void RoundTrips<T>(T value, Func<T, byte[]> encode, TryDecode<T> decode)
        where T : class
    {
        var bytes = encode(value);
        Assert.True(decode(bytes, out var decoded, out var error, null), error.Message);
        Assert.Equal(value, decoded);
        Assert.Equal(bytes, encode(decoded));
    }

    /// <summary>Every proper prefix fails with an error, and so does one trailing byte; nothing throws.</summary>
    public static void RejectsTruncationAndTrailingBytes<T>(T value, Func<T, byte[]> encode, TryDecode<T> decode)
        where T : class
    {
        var bytes = encode(value);
        for (var length = 0; length < bytes.Length; length++)
        {
            var ok = decode(bytes.AsSpan(0, length), out var decoded, out var error, null);
            Assert.False(ok, $"prefix of {length}/{bytes.Length} bytes decoded");
            Assert.Null(decoded);
            Assert.NotEqual(TlsErrorKind.None, error.Kind);
            Assert.InRange(error.Offset, 0, length);
            Assert.False(string.IsNullOrEmpty(error.Field));
        }

        var longer = new byte[bytes.Length + 1];
        bytes.CopyTo(longer, 0);
        Assert.False(decode(longer, out _, out var trailing, null));
        Assert.Equal(TlsErrorKind.TrailingBytes, trailing.Kind);
        Assert.Equal(bytes.Length, trailing.Offset);
    }

    /// <summary>Flipping any single byte never throws (it may still decode to another valid value).</summary>
    public static void SurvivesByteFlips<T>(T value, Func<T, byte[]> encode, TryDecode<T> decode, int seed)
        where T : class
    {
        var bytes = encode(value);
        if (bytes.Length == 0)
        {
            return;
        }

        var random = new Random(seed);
        for (var i = 0; i < 32; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
            var ok = decode(copy, out var decoded, out var error, null);
            Assert.Equal(ok, decoded is not null);
            Assert.Equal(ok, error.Kind == TlsErrorKind.None);
        }
    }

    /// <summary>A limit smaller than the body fails before parsing.</summary>
    public static void RespectsTotalSizeLimit<T>(T value, Func<T, byte[]> encode, TryDecode<T> decode)
        where T : class
    {
        var bytes = encode(value);
        var options = new TlsReaderOptions { MaxInputLength = bytes.Length - 1 };
        Assert.False(decode(bytes, out _, out var error, options));
        Assert.Equal(TlsErrorKind.TotalSizeExceeded, error.Kind);
        Assert.True(decode(bytes, out _, out _, new TlsReaderOptions { MaxInputLength = bytes.Length }));
    }
}
