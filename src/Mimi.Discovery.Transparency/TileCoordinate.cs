using System.Globalization;
using System.Text;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// A C2SP tlog-tiles tile of height 8: <see cref="Width"/> consecutive 32-byte hashes of tree level 8 ×
/// <see cref="Level"/>, node indices <see cref="Index"/> × 256 onwards. Level-0 tiles hold leaf hashes; a tile
/// narrower than 256 is a partial tile at the right edge of the tree. An entry bundle
/// (<see cref="IsEntryBundle"/>, path <c>tile/entries/&lt;N&gt;</c>) holds the entries whose leaf hashes the level-0
/// tile of the same index and width holds.
/// </summary>
public readonly record struct TileCoordinate
{
    /// <summary>Tree levels per tile.</summary>
    public const int Height = 8;

    /// <summary>The number of hashes in a full tile.</summary>
    public const int FullWidth = 1 << Height;

    /// <summary>The highest tile level a tree with at most 2^63 − 1 leaves has.</summary>
    public const int MaxLevel = 7;

    private const string EntriesSegment = "entries";

    /// <summary>Creates a tile coordinate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A part is out of range for a tree of at most 2^63 − 1 leaves.</exception>
    public TileCoordinate(int level, long index, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxIndex(level));
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, FullWidth);
        Level = level;
        Index = index;
        Width = width;
    }

    /// <summary>An entry bundle: entries <paramref name="index"/> × 256 onwards, <paramref name="width"/> of them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A part is out of range for a tree of at most 2^63 − 1 leaves.</exception>
    public static TileCoordinate EntryBundle(long index, int width) => new TileCoordinate(0, index, width) { IsEntryBundle = true };

    /// <summary>The entry bundle of a tree of <paramref name="treeSize"/> leaves at <paramref name="index"/>, as wide as that tree has it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The tree has no such bundle.</exception>
    public static TileCoordinate EntryBundleInTree(long index, long treeSize) => InTree(0, index, treeSize) with { IsEntryBundle = true };

    /// <summary>
    /// Whether this is an entry bundle (the entries themselves, <c>tile/entries/&lt;N&gt;</c>) rather than a tile of
    /// hashes; its <see cref="Level"/> is 0, and it covers the leaves of the level-0 hash tile of the same index.
    /// </summary>
    public bool IsEntryBundle { get; private init; }

    /// <summary>The tile level L: the tile holds hashes of tree level 8L.</summary>
    public int Level { get; }

    /// <summary>The tile index N within its level.</summary>
    public long Index { get; }

    /// <summary>The number of hashes W in this version of the tile, 1 to 256.</summary>
    public int Width { get; }

    /// <summary>Whether this is a partial tile (fewer than 256 hashes).</summary>
    public bool IsPartial => Width < FullWidth;

    /// <summary>The size of a hash tile's data: <see cref="Width"/> × 32 bytes.</summary>
    public int ByteLength => Width * MerkleHash.Size;

    /// <summary>
    /// The C2SP path <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> (or <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c> for an
    /// entry bundle), with N in 3-digit groups and all but the last prefixed with <c>x</c> (1234067 → <c>x001/x234/067</c>).
    /// </summary>
    public string Path
    {
        get
        {
            var builder = new StringBuilder("tile/", 40);
            builder.Append(IsEntryBundle ? EntriesSegment : Level.ToString(CultureInfo.InvariantCulture)).Append('/');
            Span<int> groups = stackalloc int[7];
            var count = 0;
            var n = Index;
            do
            {
                groups[count++] = (int)(n % 1000);
                n /= 1000;
            }
            while (n > 0);

            for (var i = count - 1; i >= 0; i--)
            {
                if (i > 0)
                {
                    builder.Append('x');
                }

                builder.Append(groups[i].ToString("D3", CultureInfo.InvariantCulture));
                if (i > 0)
                {
                    builder.Append('/');
                }
            }

            if (IsPartial)
            {
                builder.Append(".p/").Append(Width.ToString(CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }
    }

    /// <summary>
    /// Whether a tree of <paramref name="treeSize"/> leaves holds at least <see cref="Width"/> hashes in
    /// <paramref name="tile"/>, so the tile can be served for it.
    /// </summary>
    public static bool Exists(TileCoordinate tile, long treeSize) =>
        tile.Width > 0 && treeSize > 0 && (treeSize >> (Height * tile.Level)) - (tile.Index << Height) >= tile.Width;

    /// <summary>
    /// Parses a canonical C2SP tile path such as <c>tile/0/x001/x234/067.p/8</c>, or an entry bundle's such as
    /// <c>tile/entries/x001/234</c> (<see cref="IsEntryBundle"/>: callers serving hashes check it); never throws.
    /// </summary>
    public static bool TryParsePath(string? path, out TileCoordinate tile)
    {
        tile = default;
        if (path is null || path.Length > 64 || !path.StartsWith("tile/", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path.AsSpan(5);
        var slash = rest.IndexOf('/');
        var entries = slash > 0 && rest[..slash].SequenceEqual(EntriesSegment);
        long level = 0;
        if (slash <= 0 || (!entries && (!TryParseDecimal(rest[..slash], out level) || level > MaxLevel)))
        {
            return false;
        }

        rest = rest[(slash + 1)..];
        var width = (long)FullWidth;
        var partial = rest.IndexOf(".p/", StringComparison.Ordinal);
        if (partial >= 0)
        {
            if (!TryParseDecimal(rest[(partial + 3)..], out width) || width is < 1 or >= FullWidth)
            {
                return false;
            }

            rest = rest[..partial];
        }

        long index = 0;
        while (true)
        {
            var last = rest.Length == 3;
            if (!last && (rest.Length < 5 || rest[0] != 'x' || rest[4] != '/'))
            {
                return false;
            }

            var group = last ? rest : rest[1..4];
            if (!char.IsAsciiDigit(group[0]) || !char.IsAsciiDigit(group[1]) || !char.IsAsciiDigit(group[2])
                || index > (long.MaxValue - 999) / 1000)
            {
                return false;
            }

            index = (index * 1000) + ((group[0] - '0') * 100) + ((group[1] - '0') * 10) + (group[2] - '0');
            if (last)
            {
                break;
            }

            rest = rest[5..];
        }

        if (index > MaxIndex((int)level))
        {
            return false;
        }

        var parsed = new TileCoordinate((int)level, index, (int)width) { IsEntryBundle = entries };
        if (!string.Equals(parsed.Path, path, StringComparison.Ordinal))
        {
            // Leading "x000" groups and other spellings that are not the one canonical path.
            return false;
        }

        tile = parsed;
        return true;
    }

    /// <summary>The tile of a tree of <paramref name="treeSize"/> leaves at (level, index), as wide as that tree has it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The tree has no such tile.</exception>
    public static TileCoordinate InTree(int level, long index, long treeSize)
    {
        var available = (treeSize >> (Height * level)) - (index << Height);
        return new TileCoordinate(level, index, (int)Math.Min(FullWidth, available));
    }

    /// <summary>The tile that holds the hashes under perfect subtree (tree level, node index) for a tree of that size.</summary>
    internal static TileCoordinate ForNode(int treeLevel, long nodeIndex, long treeSize)
    {
        var level = treeLevel / Height;
        var first = nodeIndex << (treeLevel % Height);
        return InTree(level, first >> Height, treeSize);
    }

    /// <inheritdoc/>
    public override string ToString() => Path;

    private static long MaxIndex(int level) => level >= MaxLevel ? 0 : long.MaxValue >> (Height * (level + 1));

    private static bool TryParseDecimal(ReadOnlySpan<char> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 4 || (digits[0] == '0' && digits.Length > 1))
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
