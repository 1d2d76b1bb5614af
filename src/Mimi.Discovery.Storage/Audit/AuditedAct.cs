namespace Mimi.Discovery.Storage;

/// <summary>An act's audit event with who did it, handed to a write that records it in the act's own transaction.</summary>
/// <param name="Actor">Who did the act.</param>
/// <param name="Event">What it did.</param>
public sealed record AuditedAct(AuditActor Actor, AuditEvent Event);
