namespace Mimi.Discovery.Server.Authority.ProofOfControl;

/// <summary>Delivers one-time codes. Pluggable: an HTTP gateway adapter, or the development log sink.</summary>
internal interface IOneTimeCodeGateway
{
    Task<GatewayResult> SendAsync(OneTimeCodeMessage message, CancellationToken ct);
}
