namespace Mimi.Discovery.Storage;

/// <summary>One of a hosted user's clients: its MIMI client URI and the public key it authenticates with.</summary>
public sealed record HostedClient(string ClientUri, string UserUri, string Kid, string Jwk, DateTimeOffset CreatedAt);
