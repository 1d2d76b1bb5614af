using Microsoft.AspNetCore.Http.HttpResults;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>Liveness and readiness for orchestrators.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthView("alive", null)))
            .WithName("Liveness").WithSummary("The process is up.").WithTags("Health").AllowAnonymous();
        app.MapGet("/readyz", ReadyAsync)
            .WithName("Readiness").WithSummary("The database answers; the replica can take traffic.").WithTags("Health").AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<HealthView>, JsonHttpResult<HealthView>>> ReadyAsync(MimiDatabase database,
        IEnumerable<IReadinessContributor> contributors, CancellationToken ct)
    {
        try
        {
            await database.PingAsync(ct);
            if (contributors.Select(c => c.NotReadyReason).FirstOrDefault(r => r is not null) is { } reason)
            {
                return TypedResults.Json(new HealthView("unavailable: " + reason, database.Dialect.Name), statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return TypedResults.Ok(new HealthView("ready", database.Dialect.Name));
        }
        catch (StorageException e)
        {
            return TypedResults.Json(new HealthView("unavailable: " + e.Kind, database.Dialect.Name), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

internal sealed record HealthView(string Status, string? Database);
