using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>One owner's quotas as they apply; <see cref="Custom"/> when the owner set them, else the operator's defaults (null: no limit).</summary>
internal sealed record OwnerQuotaView(string Owner, bool Custom, int? LookupsPerRequester, int? LookupsTotal, int? ClaimsPerRequester, int? ClaimsTotal,
    int WindowSeconds, DateTimeOffset? UpdatedAt)
{
    public static OwnerQuotaView From(string owner, OwnerQuota? quota, LookupOptions defaults)
    {
        var applied = QuotaView.From(quota, defaults);
        return new OwnerQuotaView(owner, quota is not null, applied.LookupsPerRequester, applied.LookupsTotal, applied.ClaimsPerRequester, applied.ClaimsTotal,
            applied.WindowSeconds ?? 0, quota?.UpdatedAt);
    }
}
