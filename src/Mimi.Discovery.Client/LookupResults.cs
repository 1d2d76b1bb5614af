namespace Mimi.Discovery.Client;

/// <summary>A lookup answer: per identifier, its status (none, no-providers, found) and the mappings the caller may see.</summary>
public sealed record LookupResults(LookupResult[] Results);
