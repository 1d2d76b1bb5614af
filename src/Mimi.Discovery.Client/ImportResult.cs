namespace Mimi.Discovery.Client;

/// <summary>
/// The outcome of a bulk import upload: rows issued and logged, rows rejected (all counted, the first listed), the log
/// range written, and for a resumable import its id, the lines skipped as committed before, and the last line read.
/// </summary>
public sealed record ImportResult(long Imported, long Rejected, ImportRowError[] Errors, long? FirstLogIndex, long? LastLogIndex,
    string? ImportId = null, long Skipped = 0, long LastLine = 0);
