using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Authentication;

namespace Mimi.Discovery.Server.Peers;

/// <summary>
/// Counts the MIMI requests other providers make (<c>mimi.peer.requests</c>, direction <c>in</c>) with the status
/// finally answered, problems and storage failures included. As an endpoint filter it runs after authorization, so
/// every counted peer is one that proved its domain.
/// </summary>
internal static class PeerRequestCounting
{
    /// <summary>Counts the requests of the MIMI endpoints of <paramref name="group"/> (mapped under <c>/mimi/v1</c>).</summary>
    public static RouteGroupBuilder CountsPeerRequests(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (EndpointOf(http) is { } endpoint && http.User.Identity?.IsAuthenticated == true)
            {
                var metrics = http.RequestServices.GetRequiredService<PeersMetrics>();
                var peer = http.User.PeerDomain();
                http.Response.OnCompleted(() =>
                {
                    metrics.Request(incoming: true, endpoint, peer, http.Response.StatusCode);
                    return Task.CompletedTask;
                });
            }

            return await next(context);
        });

    /// <summary>The MIMI endpoint a route serves: the first segment after the base path names it.</summary>
    private static MimiEndpoint? EndpointOf(HttpContext http)
    {
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (pattern is null || pattern.Length <= Delivery.MimiPaths.Base.Length + 1)
        {
            return null;
        }

        var rest = pattern[(Delivery.MimiPaths.Base.Length + 1)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return MimiDirectory.TryParseName(slash < 0 ? rest : rest[..slash], out var endpoint) ? endpoint : null;
    }
}
