namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// Endpoint metadata saying the endpoint can answer 429 (its own quota, or a peer's relayed): the OpenAPI document lists
/// 429 from it, and <see cref="Problems.RateLimited"/> refuses to answer 429 for an endpoint without it.
/// </summary>
internal sealed class RateLimitedMetadata
{
    public static readonly RateLimitedMetadata Instance = new();

    private RateLimitedMetadata()
    {
    }
}
