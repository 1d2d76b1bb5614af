namespace Mimi.Discovery.Client;

/// <summary>A complete self-audit pass of the log: when it ended, the size it covered, the findings standing after it.</summary>
public sealed record SelfAuditState(DateTimeOffset CompletedAt, long Size, int Findings);
