namespace Mimi.Discovery.Storage;

/// <summary>
/// A batch of an import reached the log for lines that batch of the same import already committed (two uploads of one
/// import at once). The transaction is rolled back, so nothing is logged twice.
/// </summary>
public sealed class ImportReplayedException(string importId, long firstLine, long committedThroughLine)
    : Exception($"Import '{importId}' has committed its lines through {committedThroughLine}; a batch from line {firstLine} would log lines again.")
{
    /// <summary>The import.</summary>
    public string ImportId { get; } = importId;

    /// <summary>The last line the import had committed.</summary>
    public long CommittedThroughLine { get; } = committedThroughLine;
}
