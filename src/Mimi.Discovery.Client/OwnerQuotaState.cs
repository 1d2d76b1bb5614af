namespace Mimi.Discovery.Client;

/// <summary>One provider's owner quotas as they apply (null: no limit).</summary>
/// <param name="Owner">The provider whose users' records and KeyPackages the quotas protect.</param>
/// <param name="Custom">Whether the provider set them (else the operator's defaults apply).</param>
/// <param name="LookupsPerRequester">Lookups hitting its users, per requester and window.</param>
/// <param name="LookupsTotal">Lookups hitting its users, all requesters, per window.</param>
/// <param name="ClaimsPerRequester">KeyPackage claims per requester and window.</param>
/// <param name="ClaimsTotal">KeyPackage claims, all requesters, per window.</param>
/// <param name="WindowSeconds">The window.</param>
/// <param name="UpdatedAt">When the provider last set them.</param>
public sealed record OwnerQuotaState(string Owner, bool Custom, int? LookupsPerRequester, int? LookupsTotal, int? ClaimsPerRequester, int? ClaimsTotal,
    int WindowSeconds, DateTimeOffset? UpdatedAt);
