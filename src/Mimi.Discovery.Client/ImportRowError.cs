namespace Mimi.Discovery.Client;

/// <summary>A rejected import line: its number (from 1), the field at fault, a stable code and the reason.</summary>
public sealed record ImportRowError(long Line, string Field, string Code, string Detail);
