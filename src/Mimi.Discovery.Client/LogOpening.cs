namespace Mimi.Discovery.Client;

/// <summary>The opening of a format-2 entry's commitment: the random opening and the committed value, both base64.</summary>
public sealed record LogOpening(long LogIndex, string Opening, string Value);
