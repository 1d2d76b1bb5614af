namespace Mimi.Discovery.Client;

/// <summary>An undecided consent request to the caller's user.</summary>
public sealed record PendingConsent(string Requester, string? Room, DateTimeOffset RequestedAt);
