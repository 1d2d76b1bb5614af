namespace Mimi.Discovery.Storage;

/// <summary>The stored opening of the entry at <paramref name="LogIndex"/>.</summary>
public sealed record LogOpening(long LogIndex, string Sii, byte[] Opening, byte[] Value);
