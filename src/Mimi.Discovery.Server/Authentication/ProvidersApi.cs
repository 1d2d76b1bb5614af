using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Audit;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>Provider enrolment and administration (operator only), and a provider's view of itself.</summary>
internal static class ProvidersApi
{
    public static IEndpointRouteBuilder MapProvidersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/providers").WithTags("Providers");

        group.MapPost("/", EnrolAsync).WithName("EnrolProvider")
            .WithSummary("Enrols a provider: domain, public signing keys (JWK), trust level, contact. Operator only.")
            .RequireAuthorization(Policies.Operator);
        group.MapGet("/", ListAsync).WithName("ListProviders").WithSummary("Lists enrolled providers. Operator only.")
            .RequireAuthorization(Policies.Operator);
        group.MapGet("/me", GetSelfAsync).WithName("GetOwnProvider").WithSummary("The calling provider's enrolment. Providers only.")
            .RequireAuthorization(Policies.Provider);
        group.MapGet("/{domain}", GetAsync).WithName("GetProvider").WithSummary("One provider. Operator only.")
            .RequireAuthorization(Policies.Operator);
        group.MapGet("/{domain}/jwks", GetKeys).WithName("GetProviderKeys")
            .WithSummary("A provider's active public signing keys (JWKS), so peers can verify its provider-to-provider requests. 404 when unknown or suspended.")
            .RequireAuthorization(Policies.ProviderOrOperator).Produces<System.Text.Json.JsonElement>(200, Mimi.Discovery.Authority.JwksDocument.MediaType);
        group.MapPost("/{domain}/keys", AddKeyAsync).WithName("AddProviderKey")
            .WithSummary("Adds a signing key (rotation, step one). Operator only.").RequireAuthorization(Policies.Operator);
        group.MapDelete("/{domain}/keys/{kid}", RetireKeyAsync).WithName("RetireProviderKey")
            .WithSummary("Retires a signing key (rotation, step two). Operator only.").RequireAuthorization(Policies.Operator);
        group.MapPost("/{domain}/suspend", SuspendAsync).WithName("SuspendProvider")
            .WithSummary("Suspends a provider: its calls and existing tokens are refused at once. Operator only.")
            .RequireAuthorization(Policies.Operator);
        group.MapPost("/{domain}/reinstate", ReinstateAsync).WithName("ReinstateProvider")
            .WithSummary("Lifts a suspension. Operator only.").RequireAuthorization(Policies.Operator);
        group.MapPut("/{domain}/trust", SetTrustAsync).WithName("SetProviderTrust")
            .WithSummary("Sets whether the provider's attestations of identifier control are accepted. Operator only.")
            .RequireAuthorization(Policies.Operator);
        return app;
    }

    private static Results<ContentHttpResult, ProblemHttpResult> GetKeys(string domain, ClientDirectory directory)
    {
        if (!ProviderDomain.TryNormalize(domain, out var normalized, out var error))
        {
            return Problems.InvalidIdentifier("domain", error.Code, error.Message);
        }

        if (directory.Find(normalized) is not { Role: ClientRole.Provider, Active: true } provider)
        {
            return Problems.NotFound($"No enrolled, active provider '{normalized}'.");
        }

        var keys = string.Join(",", provider.Keys.Values.OrderBy(k => k.Kid, StringComparer.Ordinal).Select(k => k.Jwk));
        return TypedResults.Content("{\"keys\":[" + keys + "]}", Mimi.Discovery.Authority.JwksDocument.MediaType);
    }

    private static async Task<Results<Created<ProviderView>, ProblemHttpResult>> EnrolAsync(
        EnrolProviderRequest request, ProviderStore store, ClientDirectory directory, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!ProviderDomain.TryNormalize(request.Domain, out var domain, out var domainError))
        {
            return Problems.InvalidIdentifier("domain", domainError.Code, domainError.Message);
        }

        if (string.IsNullOrWhiteSpace(request.Contact) || request.Contact.Length > 320)
        {
            return Problems.InvalidRequest("contact", "contact is required (an email address or URL for the provider's operations team), at most 320 characters.");
        }

        if (request.Keys is not { Length: > 0 and <= 10 })
        {
            return Problems.InvalidRequest("keys", "keys must hold 1 to 10 public JWKs (EC P-256 or OKP Ed25519).");
        }

        var now = time.GetUtcNow();
        var keys = new List<ProviderKeyRecord>();
        for (var i = 0; i < request.Keys.Length; i++)
        {
            if (!ClientKey.TryParse(request.Keys[i], out var key, out var error))
            {
                return Problems.InvalidRequest($"keys[{i}]", error);
            }

            if (keys.Any(k => k.Kid == key!.Kid))
            {
                return Problems.InvalidRequest($"keys[{i}]", $"kid '{key!.Kid}' appears twice.");
            }

            keys.Add(new ProviderKeyRecord(key!.Kid, key.Jwk, now, null));
        }

        var record = new ProviderRecord(domain, request.DisplayName?.Trim() is { Length: > 0 } name ? name : domain, request.Contact.Trim(),
            request.Trusted ? ProviderTrust.Trusted : ProviderTrust.Standard, ProviderStatus.Active, now, now, keys);
        if (!await store.CreateAsync(record, AuditActors.From(http), ct))
        {
            return Problems.Conflict($"Provider '{domain}' is enrolled already.");
        }

        await directory.RefreshAsync(ct);
        return TypedResults.Created($"/v1/providers/{domain}", ProviderView.From(record));
    }

    private static async Task<Ok<ProviderView[]>> ListAsync(ProviderStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(ProviderView.From).ToArray());

    private static async Task<Results<Ok<ProviderView>, ProblemHttpResult>> GetSelfAsync(System.Security.Claims.ClaimsPrincipal user, ProviderStore store, CancellationToken ct) =>
        await store.GetAsync(user.ClientId(), ct) is { } p ? TypedResults.Ok(ProviderView.From(p)) : Problems.NotFound("The calling provider is not enrolled.");

    private static async Task<Results<Ok<ProviderView>, ProblemHttpResult>> GetAsync(string domain, ProviderStore store, CancellationToken ct) =>
        await store.GetAsync(domain, ct) is { } p ? TypedResults.Ok(ProviderView.From(p)) : Problems.NotFound($"No provider '{domain}'.");

    private static async Task<Results<Created<ProviderKeyView>, ProblemHttpResult>> AddKeyAsync(
        string domain, JsonElement jwk, ProviderStore store, ClientDirectory directory, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!ClientKey.TryParse(jwk, out var key, out var error))
        {
            return Problems.InvalidRequest("jwk", error);
        }

        var record = new ProviderKeyRecord(key!.Kid, key.Jwk, time.GetUtcNow(), null);
        switch (await store.AddKeyAsync(domain, record, AuditActors.From(http), ct))
        {
            case KeyChange.NotFound:
                return Problems.NotFound($"No provider '{domain}'.");
            case KeyChange.Duplicate:
                return Problems.Conflict($"Provider '{domain}' already has a key with kid '{key.Kid}'.");
            default:
                await directory.RefreshAsync(ct);
                return TypedResults.Created($"/v1/providers/{domain}/keys/{key.Kid}", ProviderKeyView.From(record));
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RetireKeyAsync(
        string domain, string kid, ProviderStore store, ClientDirectory directory, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (await store.RetireKeyAsync(domain, kid, time.GetUtcNow(), AuditActors.From(http), ct) == KeyChange.NotFound)
        {
            return Problems.NotFound($"Provider '{domain}' has no active key '{kid}'.");
        }

        await directory.RefreshAsync(ct);
        return TypedResults.NoContent();
    }

    private static Task<Results<Ok<ProviderView>, ProblemHttpResult>> SuspendAsync(
        string domain, ProviderStore store, ClientDirectory directory, TimeProvider time, HttpContext http, CancellationToken ct) =>
        ChangeAsync(domain, store, directory, ct, () => store.SetStatusAsync(domain, ProviderStatus.Suspended, time.GetUtcNow(), AuditActors.From(http), ct));

    private static Task<Results<Ok<ProviderView>, ProblemHttpResult>> ReinstateAsync(
        string domain, ProviderStore store, ClientDirectory directory, TimeProvider time, HttpContext http, CancellationToken ct) =>
        ChangeAsync(domain, store, directory, ct, () => store.SetStatusAsync(domain, ProviderStatus.Active, time.GetUtcNow(), AuditActors.From(http), ct));

    private static Task<Results<Ok<ProviderView>, ProblemHttpResult>> SetTrustAsync(
        string domain, SetTrustRequest request, ProviderStore store, ClientDirectory directory, TimeProvider time, HttpContext http, CancellationToken ct) =>
        ChangeAsync(domain, store, directory, ct,
            () => store.SetTrustAsync(domain, request.Trusted ? ProviderTrust.Trusted : ProviderTrust.Standard, time.GetUtcNow(), AuditActors.From(http), ct));

    private static async Task<Results<Ok<ProviderView>, ProblemHttpResult>> ChangeAsync(
        string domain, ProviderStore store, ClientDirectory directory, CancellationToken ct, Func<Task<bool>> change)
    {
        if (!await change())
        {
            return Problems.NotFound($"No provider '{domain}'.");
        }

        await directory.RefreshAsync(ct);
        return TypedResults.Ok(ProviderView.From((await store.GetAsync(domain, ct))!));
    }
}
