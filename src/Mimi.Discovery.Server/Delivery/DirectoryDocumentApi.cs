using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Protocol;
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
        IOptions<DeliveryOptions> delivery, IOptions<AuthorityOptions> authority, HubKeys keys, HttpContext http)
    {
        var document = Build(delivery.Value, authority.Value, keys);
        http.Response.Headers.CacheControl = "public, max-age=600";
        return TypedResults.Content(document, "application/json");
    }

    /// <summary>The name of the member that publishes the hub's franking keys (not an endpoint; resolvers ignore it).</summary>
    internal const string FrankingAgentsMember = "frankingAgents";

    /// <summary>
    /// The document: every endpoint's URL template and, with <paramref name="keys"/>, <see cref="FrankingAgentsMember"/>:
    /// by cipher suite number, the base64 <c>FrankingAgentData</c> whose key verifies this hub's franks in rooms of that
    /// suite (draft-ietf-mimi-protocol-06 §5.4.1 puts it in the <c>franking_agent</c> GroupContext component instead).
    /// </summary>
    internal static string Build(DeliveryOptions delivery, AuthorityOptions authority, HubKeys? keys = null)
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

            if (keys is not null)
            {
                json.WriteStartObject(FrankingAgentsMember);
                foreach (var suite in Enum.GetValues<MlsCipherSuite>().Where(MlsSignature.IsSupported))
                {
                    json.WriteBase64String(((ushort)suite).ToString(System.Globalization.CultureInfo.InvariantCulture), keys.FrankingAgent(suite).Encode());
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
