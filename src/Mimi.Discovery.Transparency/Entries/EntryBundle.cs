using System.Buffers.Binary;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// A C2SP tlog-tiles entry bundle (<c>tile/entries/&lt;N&gt;</c>): the entries of one level-0 tile, in order, each
/// as a big-endian uint16 length followed by its bytes.
/// </summary>
public static class EntryBundle
{
    /// <summary>The longest entry a bundle can carry.</summary>
    public const int MaxEntryLength = ushort.MaxValue;

    /// <summary>Encodes <paramref name="entries"/> as one bundle.</summary>
    /// <exception cref="ArgumentException">An entry is longer than <see cref="MaxEntryLength"/>.</exception>
    public static byte[] Write(IReadOnlyList<byte[]> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var length = 0;
        foreach (var entry in entries)
        {
            if (entry.Length > MaxEntryLength)
            {
                throw new ArgumentException($"An entry bundle carries entries of at most {MaxEntryLength} bytes, not {entry.Length}.", nameof(entries));
            }

            length += 2 + entry.Length;
        }

        var bundle = new byte[length];
        var offset = 0;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bundle.AsSpan(offset), (ushort)entry.Length);
            entry.CopyTo(bundle, offset + 2);
            offset += 2 + entry.Length;
        }

        return bundle;
    }

    /// <summary>
    /// Splits a bundle (untrusted) into exactly <paramref name="entries"/>.Length entries, each a range of
    /// <paramref name="bundle"/>, without copying: false when the bundle holds fewer, more, or a length runs past its end.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> bundle, Span<Range> entries)
    {
        var offset = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            if (bundle.Length - offset < 2)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bundle[offset..]);
            offset += 2;
            if (bundle.Length - offset < length)
            {
                return false;
            }

            entries[i] = new Range(offset, offset + length);
            offset += length;
        }

        return offset == bundle.Length;
    }
}
