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
            .WithSummary("Provider-to-provider deliveries waiting (in all and per destination, the 100 with most first) or given up. Operator only.")
            .RequireAuthorization(Policies.Operator);
        return app;
    }

    private static async Task<Ok<OutboxView>> GetOutboxAsync(OutboxStore store, TimeProvider time, CancellationToken ct)
    {
        var summary = await store.SummarizeAsync(ct);
        var failed = await store.ListFailedAsync(50, ct);
        var destinations = await store.SummarizeByDestinationAsync(100, ct);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new OutboxView(summary.Pending, summary.Failed,
            summary.OldestPending is { } oldest ? Math.Max(0, (long)(now - oldest).TotalSeconds) : null,
            failed.Select(f => new FailedDeliveryView(f.MessageId, f.Destination, f.Endpoint, f.Target, f.Attempts, f.CreatedAt, f.LastError)).ToArray(),
            destinations.Select(d => new DestinationOutboxView(d.Destination, d.Pending, Math.Max(0, (long)(now - d.OldestPending).TotalSeconds))).ToArray()));
    }
}
