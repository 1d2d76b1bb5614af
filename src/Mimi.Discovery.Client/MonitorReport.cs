namespace Mimi.Discovery.Client;

/// <summary>
/// The outcome of a monitoring pass: whether the log verified (checkpoint, witnesses, consistency, re-hashed entries),
/// the state to keep (only then), what was checked, the entries found under watched indexes, and the identifiers the
/// authority would not give an index for (so they are not watched).
/// </summary>
public sealed record MonitorReport(bool LogVerified, MonitorState? State, IReadOnlyList<string> Checks, IReadOnlyList<MonitorFinding> Findings,
    IReadOnlyList<IdentifierRefusal> Unwatched)
{
    /// <summary>The findings that are alerts.</summary>
    public IEnumerable<MonitorFinding> Alerts => Findings.Where(f => f.Alert);
}
