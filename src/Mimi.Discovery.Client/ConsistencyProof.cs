namespace Mimi.Discovery.Client;

/// <summary>An RFC 9162 consistency proof.</summary>
public sealed record ConsistencyProof(long From, long To, string[] Hashes);
