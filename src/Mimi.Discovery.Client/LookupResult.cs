namespace Mimi.Discovery.Client;

/// <summary>One identifier's answer.</summary>
public sealed record LookupResult(string Sii, string Status, LookupMapping[] Mappings);
