namespace Mimi.Discovery.Server.Authority.ProofOfControl;

internal enum GatewayKind
{
    DevelopmentLog,
    Http,
}
