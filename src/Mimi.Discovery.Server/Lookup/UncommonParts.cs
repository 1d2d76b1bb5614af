namespace Mimi.Discovery.Server.Lookup;

/// <summary>What a mapping outside the compact form keeps in full.</summary>
internal sealed record UncommonParts(string? Serial, string? Assertion);
