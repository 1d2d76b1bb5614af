namespace Mimi.Discovery.Client;

/// <summary>An owner's quotas (null: the operator's default).</summary>
public sealed record OwnerQuotas(int? LookupsPerRequester, int? LookupsTotal, int? ClaimsPerRequester, int? ClaimsTotal, int? WindowSeconds);
