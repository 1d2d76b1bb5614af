using Microsoft.AspNetCore.Http.HttpResults;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Peers;

/// <summary>The operator's view of the outbox: deliveries to other providers still waiting, and those given up.</summary>
internal static class OutboxApi
{
    public static IEndpointRouteBuilder MapOutboxApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/delivery/outbox", GetOutboxAsync).WithName("GetOutbox").WithTags("Delivery")
            .WithSummary("Provider-to-provider deliveries waiting or given up. Operator only.")
            .RequireAuthorization(Policies.Operator);
        return app;
    }

    private static async Task<Ok<OutboxView>> GetOutboxAsync(OutboxStore store, TimeProvider time, CancellationToken ct)
    {
        var summary = await store.SummarizeAsync(ct);
        var failed = await store.ListFailedAsync(50, ct);
        return TypedResults.Ok(new OutboxView(summary.Pending, summary.Failed,
            summary.OldestPending is { } oldest ? Math.Max(0, (long)(time.GetUtcNow() - oldest).TotalSeconds) : null,
            failed.Select(f => new FailedDeliveryView(f.MessageId, f.Destination, f.Endpoint, f.Target, f.Attempts, f.CreatedAt, f.LastError)).ToArray()));
    }
}
