namespace Mimi.Discovery.Client;

/// <summary>The answer of <c>POST /v1/log/indexes</c>: an index per published VRF key for each identifier given, and those refused.</summary>
public sealed record IdentifierIndexes(IdentifierIndexGrant[] Indexes, IdentifierRefusal[] Refused);
