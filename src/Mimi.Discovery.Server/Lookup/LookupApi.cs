using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Audit;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>Plain lookups, and what owners control: discoverability, removal, quotas and their keyMaterial endpoint.</summary>
internal static class LookupApi
{
    private static readonly Dictionary<string, Discoverability> Modes = new(StringComparer.Ordinal)
    {
        ["everyone"] = Discoverability.Everyone,
        ["same-provider"] = Discoverability.SameProvider,
        ["providers"] = Discoverability.ListedProviders,
        ["nobody"] = Discoverability.Nobody,
    };

    public static IEndpointRouteBuilder MapLookupApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/lookup", LookupAsync).WithName("Lookup").RateLimited().WithTags("Lookup")
            .WithSummary("Resolves a batch of identifiers to every mapping the caller may see, each with its assertion and keyMaterial URL. Providers only.")
            .RequireAuthorization(Policies.Provider);

        var mappings = app.MapGroup("/v1/mappings").WithTags("Lookup");
        mappings.MapPut("/{serial}/discoverability", SetDiscoverabilityAsync).WithName("SetDiscoverability")
            .WithSummary("Sets who may discover a mapping: everyone, same-provider, listed providers, or nobody. Its provider or the operator.")
            .RequireAuthorization(Policies.ProviderOrOperator);
        mappings.MapDelete("/{serial}", RemoveAsync).WithName("RemoveMapping")
            .WithSummary("Removes a mapping from discovery (effective for the next lookup). Its provider or the operator.")
            .RequireAuthorization(Policies.ProviderOrOperator);

        var self = app.MapGroup("/v1/providers/me").WithTags("Lookup");
        self.MapGet("/quotas", GetQuotaAsync).WithName("GetOwnQuotas")
            .WithSummary("The caller's owner quotas (lookups hitting its users, KeyPackage claims). Providers only.")
            .RequireAuthorization(Policies.Provider);
        self.MapPut("/quotas", SetQuotaAsync).WithName("SetOwnQuotas")
            .WithSummary("Sets the caller's owner quotas, per requester and in total. Providers only.").RequireAuthorization(Policies.Provider);
        self.MapPut("/settings", SetSettingsAsync).WithName("SetOwnSettings")
            .WithSummary("Sets the caller's keyMaterial URL template (with {targetUser}), returned with its users' mappings. Providers only.")
            .RequireAuthorization(Policies.Provider);
        return app;
    }

    private static async Task<Results<Ok<LookupResponse>, ProblemHttpResult>> LookupAsync(
        LookupRequest request, ClaimsPrincipal user, LookupService lookups, IOptions<LookupOptions> options, HttpContext http, CancellationToken ct)
    {
        var max = options.Value.MaxBatch;
        if (request.Identifiers is not { Length: > 0 } identifiers || identifiers.Length > max)
        {
            return Problems.InvalidRequest("identifiers", $"identifiers must hold 1 to {max} identifiers.");
        }

        var parsed = new Sii[identifiers.Length];
        for (var i = 0; i < identifiers.Length; i++)
        {
            if (!Sii.TryParse(identifiers[i], out var sii, out var error))
            {
                return Problems.InvalidIdentifier($"identifiers[{i}]", error.Code, error.Message);
            }

            parsed[i] = sii;
        }

        var answer = await lookups.LookupAsync(user.ClientId(), parsed, ct);
        return RateLimitResponses.Answer(http, "lookup", answer.Decision) is { } refused
            ? refused
            : TypedResults.Ok(new LookupResponse(answer.Results));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetDiscoverabilityAsync(
        string serial, DiscoverabilityRequest request, ClaimsPrincipal user, CredentialStore store, MappingIndex index, TimeProvider time, HttpContext http,
        CancellationToken ct)
    {
        if (request.Mode is null || !Modes.TryGetValue(request.Mode, out var mode))
        {
            return Problems.InvalidRequest("mode", "mode must be one of: " + string.Join(", ", Modes.Keys) + ".");
        }

        var providers = new List<string>();
        foreach (var (domain, i) in (request.Providers ?? []).Select((d, i) => (d, i)))
        {
            if (!ProviderDomain.TryNormalize(domain, out var normalized, out var error))
            {
                return Problems.InvalidIdentifier($"providers[{i}]", error.Code, error.Message);
            }

            providers.Add(normalized);
        }

        if (mode == Discoverability.ListedProviders != providers.Count > 0 || providers.Count > 100)
        {
            return Problems.InvalidRequest("providers", "providers lists 1 to 100 domains with mode 'providers', and nothing otherwise.");
        }

        if (!CredentialSerial.TryParse(serial, out var parsed, out var serialError))
        {
            return Problems.InvalidSerial(serialError);
        }

        if (await AuthorityApi.FindOwnedAsync(parsed, user, store, ct) is not { } mapping)
        {
            return Problems.NotFound($"No mapping {parsed} of yours.");
        }

        await store.SetDiscoverabilityAsync(mapping.Serial, mode, providers, time.GetUtcNow(), AuditActors.From(http), ct);
        // This replica's next lookup already follows the new choice; other replicas within Lookup:IndexRefreshInterval.
        await index.CatchUpAfterWriteAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        string serial, ClaimsPrincipal user, CredentialStore store, MappingIndex index, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!CredentialSerial.TryParse(serial, out var parsed, out var serialError))
        {
            return Problems.InvalidSerial(serialError);
        }

        if (await AuthorityApi.FindOwnedAsync(parsed, user, store, ct) is not { } mapping)
        {
            return Problems.NotFound($"No mapping {parsed} of yours.");
        }

        var removed = await store.RemoveAsync(mapping.Serial, time.GetUtcNow(), AuditActors.From(http), ct);
        // Effective for the next lookup on this replica; other replicas within Lookup:IndexRefreshInterval.
        await index.CatchUpAfterWriteAsync(ct);
        return removed ? TypedResults.NoContent() : Problems.Conflict($"Mapping {parsed} was removed already.");
    }

    private static Ok<QuotaView> GetQuotaAsync(ClaimsPrincipal user, ClientDirectory directory, IOptions<LookupOptions> options) =>
        TypedResults.Ok(QuotaView.From(directory.Find(user.ClientId())?.Quota, options.Value));

    private static async Task<Results<Ok<QuotaView>, ProblemHttpResult>> SetQuotaAsync(
        QuotaView request, ClaimsPrincipal user, QuotaStore quotas, ClientDirectory directory, IOptions<LookupOptions> options, TimeProvider time, HttpContext http,
        CancellationToken ct)
    {
        foreach (var (name, value) in new[] { ("lookupsPerRequester", request.LookupsPerRequester), ("lookupsTotal", request.LookupsTotal),
                     ("claimsPerRequester", request.ClaimsPerRequester), ("claimsTotal", request.ClaimsTotal) })
        {
            if (value is < 0)
            {
                return Problems.InvalidRequest(name, $"{name} must be ≥ 0 (0 refuses everyone), or null for the operator's default.");
            }
        }

        if (request.WindowSeconds is not (>= 1 and <= 30 * 86400))
        {
            return Problems.InvalidRequest("windowSeconds", "windowSeconds must be between 1 and 2592000 (30 days).");
        }

        var quota = new OwnerQuota(user.ClientId(), request.LookupsPerRequester, request.LookupsTotal, request.ClaimsPerRequester, request.ClaimsTotal,
            TimeSpan.FromSeconds(request.WindowSeconds.Value), time.GetUtcNow());
        await quotas.SetAsync(quota, AuditActors.From(http), ct);
        await directory.RefreshAsync(ct);
        return TypedResults.Ok(QuotaView.From(quota, options.Value));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetSettingsAsync(
        ProviderSettingsRequest request, ClaimsPrincipal user, ProviderStore providers, ClientDirectory directory, TimeProvider time, HttpContext http,
        CancellationToken ct)
    {
        if (request.KeyMaterialUrl is { } url && (!Uri.TryCreate(url.Replace("{targetUser}", "x", StringComparison.Ordinal), UriKind.Absolute, out var parsed)
                || parsed.Scheme is not ("https" or "http") || !url.Contains("{targetUser}", StringComparison.Ordinal) || url.Length > 512))
        {
            return Problems.InvalidRequest("keyMaterialUrl", "keyMaterialUrl must be an absolute https URL template containing {targetUser}, at most 512 characters.");
        }

        await providers.SetKeyMaterialUrlAsync(user.ClientId(), request.KeyMaterialUrl, time.GetUtcNow(), AuditActors.From(http), ct);
        await directory.RefreshAsync(ct);
        return TypedResults.NoContent();
    }
}
