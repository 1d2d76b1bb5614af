namespace Mimi.Discovery.Client;

/// <summary>A one-time link that signs a browser in to the operator console; the token is in its fragment.</summary>
/// <param name="Url">Open it once, before <paramref name="Expires"/>.</param>
/// <param name="Expires">When the link stops working if unused.</param>
public sealed record ConsoleSignInLink(string Url, DateTimeOffset Expires);
