namespace Mimi.Discovery.Client;

/// <summary>A mapping: the user, its provider, preference tags, the signed assertion and where to claim KeyPackages.</summary>
public sealed record LookupMapping(string Ssi, string Provider, string[] Tags, string Assertion, string? KeyMaterial, string Serial, DateTimeOffset NotAfter);
