namespace Mimi.Discovery.Client;

/// <summary>A page of log entries.</summary>
public sealed record LogEntries(long TreeSize, LogEntry[] Entries);
