namespace Mimi.Discovery.Storage;

/// <summary>The log head: tree size and root hash.</summary>
public readonly record struct LogHead(long Size, byte[] Root);
