namespace Mimi.Discovery.Client;

/// <summary>
/// Lookup traffic as one instance of the service counted it (each replica answers for itself): per minute from
/// <paramref name="Start"/>, per requester and outcome.
/// </summary>
/// <param name="Start">The first minute.</param>
/// <param name="Minutes">How many minutes each series holds.</param>
/// <param name="Series">One per requester and outcome seen in the period.</param>
public sealed record LookupTraffic(DateTimeOffset Start, int Minutes, LookupTrafficSeries[] Series);
