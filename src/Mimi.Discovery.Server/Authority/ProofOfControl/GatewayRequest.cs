namespace Mimi.Discovery.Server.Authority.ProofOfControl;

internal sealed record GatewayRequest(string To, string Channel, string Code, string Message, string Reference, DateTimeOffset ExpiresAt);
