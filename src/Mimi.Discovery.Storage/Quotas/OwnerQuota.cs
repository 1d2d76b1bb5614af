namespace Mimi.Discovery.Storage;

/// <summary>
/// Limits an owner provider sets for its users' mappings: lookups that hit them and KeyPackage claims, per requester
/// and in total, per window. A null limit means the operator's default applies.
/// </summary>
public sealed record OwnerQuota(
    string Owner,
    int? LookupsPerRequester,
    int? LookupsTotal,
    int? ClaimsPerRequester,
    int? ClaimsTotal,
    TimeSpan Window,
    DateTimeOffset UpdatedAt);
