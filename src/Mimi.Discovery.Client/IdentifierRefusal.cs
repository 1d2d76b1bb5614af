namespace Mimi.Discovery.Client;

/// <summary>An identifier whose index the authority would not give, and why (<c>not-holder</c>).</summary>
public sealed record IdentifierRefusal(string Identifier, string Reason);
