namespace Mimi.Discovery.Storage;

/// <summary>One page of the audit trail, newest first.</summary>
/// <param name="Events">The records of this page.</param>
/// <param name="Next">The cursor of the next (older) page, or null when this page is the last.</param>
public sealed record AuditPage(IReadOnlyList<AuditEventRecord> Events, long? Next);
