namespace Mimi.Discovery.Client;

/// <summary>An entry the authority would not open, and why (<see cref="Transparency.OpeningRefusalReasons"/>: not-holder, not-found or format-1).</summary>
public sealed record RefusedOpening(long LogIndex, string Reason);
