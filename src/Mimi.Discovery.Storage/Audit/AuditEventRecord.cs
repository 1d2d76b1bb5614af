namespace Mimi.Discovery.Storage;

/// <summary>A recorded administrative act, as the audit trail keeps it.</summary>
/// <param name="Id">Increasing with every record; the paging cursor.</param>
/// <param name="Time">When the act was done.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Event">What it did.</param>
public sealed record AuditEventRecord(long Id, DateTimeOffset Time, AuditActor Actor, AuditEvent Event);
