namespace Mimi.Discovery.Client;

/// <summary>An entry the authority would not open, and why (<c>not-holder</c>, <c>not-found</c> or <c>format-1</c>).</summary>
public sealed record OpeningRefusal(long LogIndex, string Reason);
