using System.Diagnostics.CodeAnalysis;

namespace Mimi.Discovery.Protocol.Tls;

/// <summary>The one decode/encode entry pattern every message type uses.</summary>
internal static class TlsCodec
{
    public static bool TryDecode<T>(
        ReadOnlySpan<byte> data,
        TlsReaderOptions? options,
        string root,
        TlsItemReader<T> read,
        [NotNullWhen(true)] out T? value,
        out TlsError error)
        where T : class
    {
        var reader = new TlsReader(data, options);
        if (reader.TryReadStruct(root, read, out value) && reader.TryFinish(root))
        {
            error = default;
            return true;
        }

        value = null;
        error = reader.Error;
        return false;
    }

    public static byte[] Encode<T>(T value, Action<T, TlsWriter> write)
    {
        using var writer = new TlsWriter();
        write(value, writer);
        return writer.ToArray();
    }
}
