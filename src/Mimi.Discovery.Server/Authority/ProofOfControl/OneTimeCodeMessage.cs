namespace Mimi.Discovery.Server.Authority.ProofOfControl;

/// <summary>A one-time code to deliver to an identifier (an SMS for tel:, an email for mailto:, a message for im:).</summary>
internal sealed record OneTimeCodeMessage(string ChallengeId, string Sii, string Channel, string Code, DateTimeOffset ExpiresAt);
