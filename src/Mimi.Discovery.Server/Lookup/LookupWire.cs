using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup;

internal sealed record LookupRequest(string[]? Identifiers);

internal sealed record LookupMappingView(string Ssi, string Provider, string[] Tags, string Assertion, string? KeyMaterial, string Serial, DateTimeOffset NotAfter);

internal sealed record LookupResultView(string Sii, string Status, LookupMappingView[] Mappings);

internal sealed record LookupResponse(LookupResultView[] Results);

internal sealed record DiscoverabilityRequest(string? Mode, string[]? Providers);

internal sealed record ProviderSettingsRequest(string? KeyMaterialUrl);

internal sealed record QuotaView(int? LookupsPerRequester, int? LookupsTotal, int? ClaimsPerRequester, int? ClaimsTotal, int? WindowSeconds)
{
    public static QuotaView From(OwnerQuota? quota, LookupOptions defaults) => new(
        quota?.LookupsPerRequester ?? defaults.OwnerLookupsPerRequester, quota?.LookupsTotal ?? defaults.OwnerLookupsTotal,
        quota?.ClaimsPerRequester, quota?.ClaimsTotal, (int)(quota?.Window ?? defaults.Window).TotalSeconds);
}
