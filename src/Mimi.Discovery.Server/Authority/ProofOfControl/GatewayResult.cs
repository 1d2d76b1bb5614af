namespace Mimi.Discovery.Server.Authority.ProofOfControl;

/// <summary>What the gateway did with a code: delivered (with its reference) or not (with a reason safe to show).</summary>
internal readonly record struct GatewayResult(bool Sent, string Detail);
