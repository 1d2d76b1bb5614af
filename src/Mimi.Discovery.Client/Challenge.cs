namespace Mimi.Discovery.Client;

/// <summary>A one-time code challenge that was sent.</summary>
public sealed record Challenge(string ChallengeId, string Sii, string Ssi, string Channel, DateTimeOffset ExpiresAt);
