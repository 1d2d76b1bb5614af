namespace Mimi.Discovery.Client;

/// <summary>One log entry: its index and its exact bytes (base64).</summary>
public sealed record LogEntry(long Index, string Data);
