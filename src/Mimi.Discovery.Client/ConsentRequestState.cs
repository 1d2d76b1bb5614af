namespace Mimi.Discovery.Client;

/// <summary>A consent request the caller's user sent, and how it stands: pending, granted, revoked or cancelled.</summary>
public sealed record ConsentRequestState(string Target, string? Room, string State, DateTimeOffset? RequestedAt, DateTimeOffset? UpdatedAt);
