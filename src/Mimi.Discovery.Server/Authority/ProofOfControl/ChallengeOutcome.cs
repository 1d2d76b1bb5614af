namespace Mimi.Discovery.Server.Authority.ProofOfControl;

internal enum ChallengeOutcome
{
    Sent,
    IdentifierLimited,
    ProviderLimited,
    GatewayFailed,
}
