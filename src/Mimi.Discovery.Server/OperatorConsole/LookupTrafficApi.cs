using Microsoft.AspNetCore.Http.HttpResults;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>Lookup traffic over time (<see cref="LookupTraffic"/>), for the console's chart and <c>mimi traffic</c>.</summary>
internal static class LookupTrafficApi
{
    public static IEndpointRouteBuilder MapLookupTrafficApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/operations/lookup-traffic", Get).WithName("GetLookupTraffic").WithTags("Operations")
            .WithSummary("Lookups per minute over the last ?minutes=N (1 to 1440, default 60) per requester and outcome, as this instance counted them (each replica answers for itself). Operator only.")
            .RequireAuthorization(Policies.Operator);
        return app;
    }

    private static Results<Ok<LookupTrafficView>, ProblemHttpResult> Get(LookupTraffic traffic, int? minutes)
    {
        if (minutes is < 1 or > LookupTraffic.Capacity)
        {
            return Problems.InvalidRequest("minutes", $"minutes must be 1 to {LookupTraffic.Capacity}.");
        }

        return TypedResults.Ok(traffic.Read(minutes ?? 60));
    }
}
