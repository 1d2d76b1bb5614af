namespace Mimi.Discovery.Storage;

/// <summary>
/// What opens a format-2 entry's commitment (docs/accountability.md §2), written with the entry: the identifier it is
/// about (who may be given the opening is decided by it), the random opening and the committed value bytes.
/// </summary>
public sealed record EntryOpening(string Sii, byte[] Opening, byte[] Value);
