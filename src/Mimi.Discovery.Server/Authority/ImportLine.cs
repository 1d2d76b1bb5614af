namespace Mimi.Discovery.Server.Authority;

/// <summary>A line of an import body: its number (from 1) and its bytes, or null when it was longer than allowed.</summary>
internal readonly record struct ImportLine(long Number, byte[]? Bytes);
