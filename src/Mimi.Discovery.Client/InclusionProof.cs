namespace Mimi.Discovery.Client;

/// <summary>An RFC 9162 inclusion proof.</summary>
public sealed record InclusionProof(long Index, long TreeSize, string[] Hashes);
