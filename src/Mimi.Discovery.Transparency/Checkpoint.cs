using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// A C2SP tlog-checkpoint body: the log origin, the tree size and the base64 root hash, one per line, then optional
/// extension lines. Sign it with <see cref="SignedNote.Sign"/>.
/// </summary>
public sealed record Checkpoint
{
    private const int MaxLineLength = 4096;

    /// <summary>Creates a checkpoint.</summary>
    /// <exception cref="ArgumentException">The origin or an extension line is empty or spans lines, or the root is not 32 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size is negative.</exception>
    public Checkpoint(string origin, long size, byte[] rootHash, IReadOnlyList<string>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(rootHash);
        if (!IsValidLine(origin))
        {
            throw new ArgumentException("The origin is one non-empty line without control characters.", nameof(origin));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (rootHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"The root hash is {MerkleHash.Size} bytes.", nameof(rootHash));
        }

        var lines = extensions is null ? [] : extensions.ToArray();
        foreach (var line in lines)
        {
            if (!IsValidLine(line))
            {
                throw new ArgumentException("Extension lines are non-empty single lines without control characters.", nameof(extensions));
            }
        }

        Origin = origin;
        Size = size;
        RootHash = rootHash.ToArray();
        Extensions = lines;
    }

    /// <summary>The log's origin line, e.g. <c>example.com/log</c>.</summary>
    public string Origin { get; }

    /// <summary>The number of leaves in the tree.</summary>
    public long Size { get; }

    /// <summary>The RFC 9162 root hash of the tree (32 bytes; a copy of what was given).</summary>
    public byte[] RootHash { get; }

    /// <summary>Extension lines after the root hash, usually none.</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The note text: <c>origin\nsize\nbase64(root)\n</c> followed by one line per extension.</summary>
    public string Format()
    {
        var builder = new StringBuilder(Origin.Length + 80);
        builder.Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(RootHash)).Append('\n');
        foreach (var line in Extensions)
        {
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Parses a checkpoint note text (as <see cref="NoteOpenResult.Text"/> gives it); never throws.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Checkpoint? checkpoint)
    {
        checkpoint = null;
        if (text is null || text.Length == 0 || text.Length > SignedNote.MaxLength || text[^1] != '\n')
        {
            return false;
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 3 || !IsValidLine(lines[0]) || !TryParseSize(lines[1], out var size))
        {
            return false;
        }

        Span<byte> root = stackalloc byte[MerkleHash.Size + 3];
        if (lines[2].Length != 44 || !Convert.TryFromBase64String(lines[2], root, out var written) || written != MerkleHash.Size)
        {
            return false;
        }

        for (var i = 3; i < lines.Length; i++)
        {
            if (!IsValidLine(lines[i]))
            {
                return false;
            }
        }

        checkpoint = new Checkpoint(lines[0], size, root[..MerkleHash.Size].ToArray(), lines[3..]);
        return true;
    }

    /// <summary>Equal when every field is, the root hash compared by value.</summary>
    public bool Equals(Checkpoint? other) =>
        other is not null && Origin == other.Origin && Size == other.Size
        && CryptographicOperations.FixedTimeEquals(RootHash, other.RootHash) && Extensions.SequenceEqual(other.Extensions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Origin, Size, BitConverter.ToInt32(RootHash));

    private static bool TryParseSize(string line, out long size)
    {
        size = 0;
        if (line.Length is 0 or > 19 || (line[0] == '0' && line.Length > 1))
        {
            return false;
        }

        foreach (var c in line)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }

    private static bool IsValidLine(string line)
    {
        if (line.Length is 0 or > MaxLineLength)
        {
            return false;
        }

        foreach (var c in line)
        {
            if (c < 0x20)
            {
                return false;
            }
        }

        return true;
    }
}
