using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>Every provider's owner quotas as they apply (its own, or the operator's defaults), for the console's quota page and <c>mimi quotas</c>.</summary>
internal static class OwnerQuotasApi
{
    public static IEndpointRouteBuilder MapOwnerQuotasApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/quotas", ListAsync).WithName("ListOwnerQuotas").WithTags("Lookup")
            .WithSummary("Each enrolled provider's owner quotas (lookups hitting its users, KeyPackage claims): its own settings or the defaults. Operator only.")
            .RequireAuthorization(Policies.Operator);
        return app;
    }

    private static async Task<Ok<OwnerQuotaView[]>> ListAsync(ProviderStore providers, QuotaStore quotas, IOptions<LookupOptions> options, CancellationToken ct)
    {
        var set = (await quotas.ListAsync(ct)).ToDictionary(q => q.Owner, StringComparer.Ordinal);
        return TypedResults.Ok((await providers.ListAsync(ct)).OrderBy(p => p.Domain, StringComparer.Ordinal)
            .Select(p => OwnerQuotaView.From(p.Domain, set.GetValueOrDefault(p.Domain), options.Value)).ToArray());
    }
}
