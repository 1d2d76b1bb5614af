namespace Mimi.Discovery.Client;

/// <summary>A page of the audit trail, newest first.</summary>
/// <param name="Events">The acts of this page.</param>
/// <param name="Next">The cursor of the next (older) page, or null on the last.</param>
public sealed record AuditEventsPage(AuditEventInfo[] Events, string? Next);
