using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Authority;

namespace Mimi.Discovery.Server.Delivery;

/// <summary><c>/.well-known/mimi-protocol-directory</c>: the URL template of every MIMI endpoint this provider serves.</summary>
internal static class DirectoryDocumentApi
{
    public static IEndpointRouteBuilder MapDirectoryDocumentApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ProviderResolver.DirectoryPath, GetDirectory).WithName("GetMimiDirectory").WithTags("Delivery")
            .WithSummary("The MIMI directory document (draft-ietf-mimi-protocol-06 §5.1). Public; mapped only when this instance hosts a provider (Delivery:Domain).")
            .AllowAnonymous().Produces<Dictionary<string, string>>(200, "application/json");
        return app;
    }

    private static ContentHttpResult GetDirectory(
        IOptions<DeliveryOptions> delivery, IOptions<AuthorityOptions> authority, HttpContext http)
    {
        var document = Build(delivery.Value, authority.Value);
        http.Response.Headers.CacheControl = "public, max-age=600";
        return TypedResults.Content(document, "application/json");
    }

    internal static string Build(DeliveryOptions delivery, AuthorityOptions authority)
    {
        var baseUrl = (delivery.PublicUrl ?? authority.Issuer).TrimEnd('/') + MimiPaths.Base;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (endpoint, route) in MimiPaths.Routes)
            {
                json.WriteString(MimiDirectory.NameOf(endpoint), baseUrl + route);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
