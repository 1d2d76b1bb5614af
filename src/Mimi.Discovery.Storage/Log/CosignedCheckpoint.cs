namespace Mimi.Discovery.Storage;

/// <summary>A checkpoint the log sent to its witnesses: its size, the log-signed note, and the cosignature lines stored for it.</summary>
/// <param name="Size">The tree size.</param>
/// <param name="Note">The signed note as sent (body, blank line, the log's signature line).</param>
/// <param name="Cosignatures">Witnesses' <c>cosignature/v1</c> lines, each ending in a newline, in witness key order.</param>
public sealed record CosignedCheckpoint(long Size, string Note, IReadOnlyList<string> Cosignatures);
