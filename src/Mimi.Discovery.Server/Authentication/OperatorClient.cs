namespace Mimi.Discovery.Server.Authentication;

/// <summary>An operator client from configuration.</summary>
internal sealed record OperatorClient(string ClientId, ClientKey Key);
