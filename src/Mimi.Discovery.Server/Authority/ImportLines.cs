using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Mimi.Discovery.Server.Authority;

/// <summary>
/// Splits a streamed body into lines without buffering it whole: at most one line (bounded by the per-line limit)
/// is held at a time. An over-long line is discarded up to its newline and reported, and reading goes on.
/// </summary>
internal static class ImportLines
{
    public static async IAsyncEnumerable<ImportLine> ReadAsync(PipeReader reader, int maxLineBytes, [EnumeratorCancellation] CancellationToken ct)
    {
        long number = 0;
        var discarding = false;
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                var line = buffer.Slice(0, end);
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                number++;
                if (discarding || line.Length > maxLineBytes)
                {
                    discarding = false;
                    yield return new ImportLine(number, null);
                }
                else if (Content(line, number == 1) is { } bytes)
                {
                    yield return new ImportLine(number, bytes);
                }
            }

            if (!discarding && buffer.Length > maxLineBytes)
            {
                discarding = true;
            }

            if (discarding)
            {
                buffer = buffer.Slice(buffer.End);
            }

            if (result.IsCompleted)
            {
                if (discarding)
                {
                    yield return new ImportLine(number + 1, null);
                }
                else if (buffer.Length > 0 && Content(buffer, number == 0) is { } last)
                {
                    yield return new ImportLine(number + 1, last);
                }

                reader.AdvanceTo(buffer.End);
                yield break;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The line without surrounding blanks or CR (nor a UTF-8 byte order mark before the first); null for a blank line (skipped, but still counted).</summary>
    private static byte[]? Content(ReadOnlySequence<byte> line, bool first)
    {
        var bytes = line.ToArray();
        var length = bytes.Length;
        while (length > 0 && bytes[length - 1] is (byte)'\r' or (byte)' ' or (byte)'\t')
        {
            length--;
        }

        var start = first && bytes.AsSpan(0, length).StartsWith("\uFEFF"u8) ? 3 : 0;
        while (start < length && bytes[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        return start == length ? null : start == 0 && length == bytes.Length ? bytes : bytes[start..length];
    }
}
