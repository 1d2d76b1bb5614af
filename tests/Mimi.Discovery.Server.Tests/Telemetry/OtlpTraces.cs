namespace Mimi.Discovery.Server.Tests.Telemetry;

/// <summary>
/// Reads the trace ids out of an OTLP <c>ExportTraceServiceRequest</c> (protobuf) by walking its wire format:
/// <c>resource_spans</c> (1) → <c>scope_spans</c> (2) → <c>spans</c> (2) → <c>trace_id</c> (1). Malformed input throws.
/// </summary>
internal static class OtlpTraces
{
    public static List<byte[]> TraceIds(byte[] request)
    {
        var ids = new List<byte[]>();
        foreach (var resource in Fields(request, 1))
        {
            foreach (var scope in Fields(resource, 2))
            {
                foreach (var span in Fields(scope, 2))
                {
                    ids.AddRange(Fields(span, 1).Select(id => id.Length == 16 ? id.ToArray() : throw new InvalidDataException($"a trace id of {id.Length} bytes")));
                }
            }
        }

        return ids;
    }

    /// <summary>The length-delimited fields numbered <paramref name="number"/> of one message.</summary>
    private static List<ReadOnlyMemory<byte>> Fields(ReadOnlyMemory<byte> message, int number)
    {
        var found = new List<ReadOnlyMemory<byte>>();
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message.Span, ref at);
            switch (key & 7)
            {
                case 0:
                    Varint(message.Span, ref at);
                    break;
                case 1:
                    at += 8;
                    break;
                case 5:
                    at += 4;
                    break;
                case 2:
                    var length = (int)Varint(message.Span, ref at);
                    if (length < 0 || at + length > message.Length)
                    {
                        throw new InvalidDataException("a field runs past its message");
                    }

                    if ((int)(key >> 3) == number)
                    {
                        found.Add(message.Slice(at, length));
                    }

                    at += length;
                    break;
                default:
                    throw new InvalidDataException($"wire type {key & 7}");
            }
        }

        return at == message.Length ? found : throw new InvalidDataException("a field runs past its message");
    }

    private static ulong Varint(ReadOnlySpan<byte> bytes, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= bytes.Length)
            {
                throw new InvalidDataException("a varint runs past its message");
            }

            var b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("a varint longer than 64 bits");
    }
}
