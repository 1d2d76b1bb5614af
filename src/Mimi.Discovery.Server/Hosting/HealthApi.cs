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
            .WithName("Readiness").WithSummary("Storage works (the database answers, and takes writes again after a failure); the replica can take traffic.")
            .WithTags("Health").AllowAnonymous()
            .Produces<HealthView>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    // Not only "the database answers a SELECT": any request or background pass that met a storage outage (a full
    // disk, a read-only file system, an unreachable server) makes this fail until storage works again. While it
    // does, the check is a write, because a replica out of traffic would otherwise never see the outage end.
    // Other checks (the log's self-audit) contribute their own reasons.
    private static async Task<Results<Ok<HealthView>, JsonHttpResult<HealthView>>> ReadyAsync(MimiDatabase database,
        IEnumerable<IReadinessContributor> contributors, CancellationToken ct)
    {
        try
        {
            await (database.Health.Outage is null ? database.PingAsync(ct) : database.ProbeWriteAsync(ct));
        }
        catch (StorageException e) when (e.IsOutage)
        {
            // Recorded by the health tracker, which the answer below reads.
        }

        if (database.Health.Outage is { } outage)
        {
            return TypedResults.Json(new HealthView("unavailable: " + StorageProblems.Kind(outage.Kind), database.Dialect.Name),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return contributors.Select(c => c.NotReadyReason).FirstOrDefault(r => r is not null) is { } reason
            ? TypedResults.Json(new HealthView("unavailable: " + reason, database.Dialect.Name), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new HealthView("ready", database.Dialect.Name));
    }
}
