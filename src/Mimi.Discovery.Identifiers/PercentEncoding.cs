using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Mimi.Discovery.Identifiers;

/// <summary>Percent-decoding to UTF-8 text and canonical re-encoding (RFC 3986 section 2.1, 6.2.2).</summary>
internal static class PercentEncoding
{
    private const string UpperHex = "0123456789ABCDEF";

    /// <summary>
    /// Decodes <c>%XX</c> triplets as UTF-8. Literal characters are kept. Fails on a truncated or
    /// non-hex triplet, on bytes that are not UTF-8, and on unpaired surrogates.
    /// </summary>
    internal static bool TryDecode(ReadOnlySpan<char> text, [NotNullWhen(true)] out string? decoded)
    {
        if (text.IndexOf('%') < 0)
        {
            decoded = IsWellFormedUtf16(text) ? text.ToString() : null;
            return decoded is not null;
        }

        // Every char becomes at most three UTF-8 bytes; a triplet (three chars) becomes one.
        var maxBytes = text.Length * 3;
        var rented = maxBytes > 1536 ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        try
        {
            var bytes = rented is null ? stackalloc byte[maxBytes] : rented.AsSpan(0, maxBytes);
            var count = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '%')
                {
                    if (i + 2 >= text.Length || !TryHex(text[i + 1], out var high) || !TryHex(text[i + 2], out var low))
                    {
                        decoded = null;
                        return false;
                    }

                    bytes[count++] = (byte)((high << 4) | low);
                    i += 2;
                }
                else if (c < 0x80)
                {
                    bytes[count++] = (byte)c;
                }
                else
                {
                    if (Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed) != OperationStatus.Done)
                    {
                        decoded = null;
                        return false;
                    }

                    count += rune.EncodeToUtf8(bytes[count..]);
                    i += consumed - 1;
                }
            }

            Span<char> chars = count <= 512 ? stackalloc char[count] : new char[count];
            var status = Utf8.ToUtf16(bytes[..count], chars, out _, out var written, replaceInvalidSequences: false);
            decoded = status == OperationStatus.Done ? new string(chars[..written]) : null;
            return decoded is not null;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Appends <paramref name="text"/> with every character outside <paramref name="literal"/> percent-encoded
    /// as UTF-8 with upper-case hex, so that one decoded value has exactly one encoded form.
    /// </summary>
    internal static void AppendEncoded(StringBuilder builder, string text, SearchValues<char> literal)
    {
        if (!text.AsSpan().ContainsAnyExcept(literal))
        {
            builder.Append(text);
            return;
        }

        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (literal.Contains(c))
            {
                builder.Append(c);
                continue;
            }

            // Callers pass decoded, well-formed text, so a rune always decodes here.
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            var length = rune.EncodeToUtf8(utf8);
            for (var b = 0; b < length; b++)
            {
                builder.Append('%').Append(UpperHex[utf8[b] >> 4]).Append(UpperHex[utf8[b] & 0xF]);
            }

            i += consumed - 1;
        }
    }

    internal static bool IsWellFormedUtf16(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
