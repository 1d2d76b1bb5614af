namespace Mimi.Discovery.Server.Log;

/// <summary>A complete self-audit pass (<see cref="LogSelfAudit"/>): when it ended, the tree size it covered, and the findings standing after it.</summary>
internal sealed record SelfAuditPass(DateTimeOffset CompletedAt, long Size, int Findings);
