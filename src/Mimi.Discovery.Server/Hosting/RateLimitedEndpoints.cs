namespace Mimi.Discovery.Server.Hosting;

/// <summary>States, where an endpoint is mapped, that it is rate limited (<see cref="RateLimitedMetadata"/>).</summary>
internal static class RateLimitedEndpoints
{
    /// <summary>Marks the endpoint as one that can answer 429 with <c>Retry-After</c>.</summary>
    public static TBuilder RateLimited<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(RateLimitedMetadata.Instance);
}
