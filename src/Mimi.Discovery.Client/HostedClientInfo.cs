namespace Mimi.Discovery.Client;

/// <summary>A hosted user's client: its MIMI client URI (the client id it authenticates with) and key id.</summary>
public sealed record HostedClientInfo(string Client, string User, string Kid);
