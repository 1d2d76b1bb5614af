using Microsoft.AspNetCore.Http.HttpResults;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

/// <summary>
/// The operator's issuance feed (the console's issuance page, <c>mimi issuances</c>): the newest credentials and the
/// newest revocations of every provider. It names serials, providers and attestations, not identifiers or users: the
/// feed is for watching what the authority does, and a credential's subject is one <c>GET /v1/authority/credentials/{serial}</c> away.
/// </summary>
internal static class IssuanceFeedApi
{
    public static IEndpointRouteBuilder MapIssuanceFeedApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/authority").WithTags("Authority");
        group.MapGet("/issuances", ListIssuedAsync).WithName("ListRecentIssuances")
            .WithSummary("The newest credentials of every provider, newest first (?limit=1..500, default 50). Operator only.")
            .RequireAuthorization(Policies.Operator);
        group.MapGet("/revocations", ListRevokedAsync).WithName("ListRecentRevocations")
            .WithSummary("The newest revocations of every provider, newest first (?limit=1..500, default 50). Operator only.")
            .RequireAuthorization(Policies.Operator);
        return app;
    }

    private static async Task<Results<Ok<IssuanceFeedItem[]>, ProblemHttpResult>> ListIssuedAsync(CredentialStore store, int? limit, CancellationToken ct) =>
        limit is < 1 or > 500 ? LimitProblem() : TypedResults.Ok((await store.ListRecentAsync(limit ?? 50, ct)).Select(IssuanceFeedItem.From).ToArray());

    private static async Task<Results<Ok<IssuanceFeedItem[]>, ProblemHttpResult>> ListRevokedAsync(CredentialStore store, int? limit, CancellationToken ct) =>
        limit is < 1 or > 500 ? LimitProblem() : TypedResults.Ok((await store.ListRecentlyRevokedAsync(limit ?? 50, ct)).Select(IssuanceFeedItem.From).ToArray());

    private static ProblemHttpResult LimitProblem() => Problems.InvalidRequest("limit", "limit must be 1 to 500.");
}
