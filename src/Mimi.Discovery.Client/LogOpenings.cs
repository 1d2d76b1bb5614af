namespace Mimi.Discovery.Client;

/// <summary>The answer of <c>POST /v1/log/openings</c>: the openings given and the log indexes refused.</summary>
public sealed record LogOpenings(LogOpening[] Openings, RefusedOpening[] Refused);
