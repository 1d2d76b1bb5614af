using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// One rule for every route that reads a body: the route states its media types (<c>Accepts</c> metadata, which the
/// framework also adds for JSON and form parameters), and a request declaring another one is a 415 problem naming
/// them. A body sent without a Content-Type is taken as <c>application/octet-stream</c> (RFC 9110 §8.3).
/// </summary>
internal static class MediaTypes
{
    public const string OctetStream = "application/octet-stream";

    /// <summary>
    /// Routing's own media-type policy answers a mismatch through a bare 415 endpoint that carries no metadata: nothing
    /// could then name the expected type, and the fallback authorization policy turns it into a 401 for a peer that
    /// signs its requests. <see cref="RejectUndeclaredAsync"/> applies the same rule with the endpoint in hand.
    /// </summary>
    /// <remarks>
    /// The policy is removed by its type name because ASP.NET Core 10 offers no supported way to the same answer
    /// (checked): the policy type is internal and has no option to switch it off; <see cref="IAcceptsMetadata"/>, which
    /// it acts on, is added by the framework itself for JSON and form bodies; a matcher or endpoint-selector policy of our
    /// own runs on candidates the policy has already replaced with its 415 endpoint; and that endpoint is recognisable only
    /// by its display name, another internal string, and no longer knows the route's media types. If a later framework
    /// renames the type, the 415-before-authentication tests (MediaTypeTests) fail.
    /// </remarks>
    public static void RemoveRoutingPolicy(IServiceCollection services)
    {
        services.AddRouting();
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(MatcherPolicy)
                && services[i].ImplementationType?.FullName == "Microsoft.AspNetCore.Routing.Matching.AcceptsMatcherPolicy")
            {
                services.RemoveAt(i);
            }
        }
    }

    /// <summary>Refuses a body in a media type the endpoint does not take, before authentication and before anything reads it.</summary>
    public static Task RejectUndeclaredAsync(HttpContext context, RequestDelegate next)
    {
        var accepted = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes;
        if (accepted is not { Count: > 0 } || Takes(accepted, context.Request))
        {
            return next(context);
        }

        throw new BadHttpRequestException($"Unsupported media type '{context.Request.ContentType}'.", StatusCodes.Status415UnsupportedMediaType);
    }

    /// <summary>The detail of a 415 on <paramref name="endpoint"/>: what to send instead.</summary>
    public static string Expectation(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes is { Count: > 0 } accepted
            ? $"This endpoint takes its body as {string.Join(" or ", accepted)}; send it with that Content-Type."
            : "This endpoint does not take a body in that media type.";

    private static bool Takes(IReadOnlyList<string> accepted, HttpRequest request)
    {
        var declared = request.ContentType;
        if (string.IsNullOrEmpty(declared))
        {
            // No body, no media type to check (the endpoint says what is missing); a body without one is octet-stream.
            if (request.ContentLength is 0 or null && !request.Headers.TransferEncoding.Any(v => v?.Length > 0))
            {
                return true;
            }

            declared = OctetStream;
        }

        if (!MediaTypeHeaderValue.TryParse(declared, out var type))
        {
            return false;
        }

        foreach (var candidate in accepted)
        {
            var accept = MediaTypeHeaderValue.Parse(candidate);
            // A JSON endpoint also takes structured-syntax JSON (application/problem+json, …), as the framework's reader does.
            if (type.IsSubsetOf(accept)
                || (accept.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) && type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
