namespace Mimi.Discovery.Transparency;

/// <summary>
/// Why the authority gives no index or opening for an item of <c>POST /v1/log/indexes</c> or
/// <c>POST /v1/log/openings</c> (docs/accountability.md §4): the <c>reason</c> of a refused item.
/// </summary>
public static class OpeningRefusal
{
    /// <summary>
    /// The caller neither holds a live credential for the identifier nor proved control of it in the last hour; also
    /// given for an entry the authority cannot open, so a refusal says nothing about identifiers the caller does not hold.
    /// </summary>
    public const string NotHolder = "not-holder";

    /// <summary>The log has no entry at that index (it is not below the tree size).</summary>
    public const string NotFound = "not-found";

    /// <summary>The entry was written in format 1, before entries were indexed: its fields are in the clear and it has no opening.</summary>
    public const string FormatOne = "format-1";
}
