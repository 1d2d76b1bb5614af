using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Tests.Hosting;

/// <summary><c>/openapi/v1.json</c> as a client generator reads it.</summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    private readonly ServiceFactory _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Regression_openapi_document_had_no_security_no_problem_responses_no_text_content_types_and_integer_or_string_numbers()
    {
        var document = await _service.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        // Which endpoints are anonymous, from the endpoints themselves rather than the document.
        var anonymous = _service.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null);

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("Mimi-Peer", schemes.GetProperty("mimiPeer").GetProperty("scheme").GetString());
        Assert.Equal(JsonValueKind.Object, document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").ValueKind);

        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= anonymous.Count, $"{operations.Count} operations for {anonymous.Count} named endpoints");
        foreach (var (path, operation) in operations)
        {
            var id = operation.GetProperty("operationId").GetString()!;
            var endpoint = id switch { "GetPartialTile" => "GetTile", "GetPartialEntryBundle" => "GetEntryBundle", _ => id };
            if (anonymous[endpoint])
            {
                Assert.False(operation.TryGetProperty("security", out _), $"{id} is anonymous but states security");
            }
            else
            {
                var requirement = Assert.Single(operation.GetProperty("security").EnumerateArray());
                var scheme = Assert.Single(requirement.EnumerateObject()).Name;
                Assert.True(schemes.TryGetProperty(scheme, out _), $"{id} names the undeclared scheme {scheme}");
                Assert.Equal(path.StartsWith("/mimi/", StringComparison.Ordinal) ? "mimiPeer" : path == "/console/session" ? "consoleSession" : "bearer", scheme);
            }

            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            Assert.Contains(responses, r => r.Name.StartsWith('4') && ProblemSchema(r.Value) == "#/components/schemas/ProblemDetails");
            Assert.All(responses.Where(r => r.Name[0] is '4' or '5' && !(id == "Readiness" && r.Name == "503")),
                r => Assert.Equal("#/components/schemas/ProblemDetails", ProblemSchema(r.Value)));
            if (responses.FirstOrDefault(r => r.Name == "200") is { Value.ValueKind: JsonValueKind.Object } ok)
            {
                Assert.True(ok.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(), $"{id}: 200 without a content type");
            }
        }

        Assert.Equal("text/plain", ContentType(operations, "GetCheckpoint"));
        Assert.Equal("text/plain", ContentType(operations, "GetLogVerifierKey"));
        Assert.Equal("application/pem-certificate-chain", ContentType(operations, "GetCaChain"));
        Assert.Equal("application/pkix-crl", ContentType(operations, "GetCrl"));
        Assert.Equal("application/pkix-crl", ContentType(operations, "GetRootCrl"));
        Assert.Equal("application/octet-stream", ContentType(operations, "GetTile"));

        var paths = operations.Select(o => o.Path).ToHashSet();
        Assert.DoesNotContain(paths, p => p.Contains("{path}", StringComparison.Ordinal));
        Assert.Contains("/log/tile/{L}/{N}", paths);
        Assert.Contains("/log/tile/{L}/{N}.p/{W}", paths);
        Assert.Contains("/log/tile/entries/{N}", paths);
        Assert.Contains("/log/tile/entries/{N}.p/{W}", paths);
        Assert.Equal("application/octet-stream", ContentType(operations, "GetEntryBundle"));
        Assert.Empty(IntegerOrString(document, "#"));
    }

    [Fact]
    public async Task Regression_a_tile_index_sent_with_an_encoded_slash_was_refused_as_malformed()
    {
        var http = _service.CreateClient();

        // x001/234 is tile 1234, far beyond an empty tree: the path is understood, the tile does not exist.
        var encoded = await http.GetAsync("/log/tile/0/x001%2F234");
        var literal = await http.GetAsync("/log/tile/0/x001/234");

        Assert.Equal(HttpStatusCode.NotFound, encoded.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, literal.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/log/tile/0/x1%2F234")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_429_exactly_for_the_endpoints_mapped_as_rate_limited()
    {
        // Delivery on, so that its routes are mapped (private lookup is on by default).
        using var hosted = new HostedProviderService();
        var service = hosted.Service;
        var document = await service.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var marked = service.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<RateLimitedMetadata>() is not null)
            .Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName)
            .ToHashSet();

        var with429 = Operations(document)
            .Where(o => o.Operation.GetProperty("responses").TryGetProperty("429", out _))
            .Select(o => o.Operation.GetProperty("operationId").GetString()!)
            .ToHashSet();

        Assert.Equal(marked.Order(StringComparer.Ordinal), with429.Order(StringComparer.Ordinal));
        // The endpoints that check a quota or relay a peer's 429 today.
        Assert.Equal(
            ["ClaimKeyMaterial", "CreateChallenge", "EvaluatePrivateLookup", "GetEntryOpenings", "GetIdentifierIndexes", "GetPrivateLookupBucket", "Lookup", "MimiIdentifierQuery", "MimiKeyMaterial",
                "MimiRequestConsent", "RequestConsent", "RequestRoomGroupInfo", "SubmitRoomMessage", "UpdateRoom"],
            with429.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Regression_two_wire_types_named_DiscoverabilityRequest_shared_one_openapi_schema()
    {
        using var hosted = new HostedProviderService();
        var document = await hosted.Service.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = Operations(document).ToList();

        // Each operation's body is its own schema, with its own properties: a credential's mode and providers, a user's flag.
        Assert.Equal(["mode", "providers"], BodyProperties(document, operations, "SetDiscoverability"));
        Assert.Equal(["discoverable"], BodyProperties(document, operations, "SetUserDiscoverability"));
    }

    private static string[] BodyProperties(JsonElement document, List<(string Path, JsonElement Operation)> operations, string id)
    {
        var schema = operations.Single(o => o.Operation.GetProperty("operationId").GetString() == id).Operation
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        return [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<(string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch").Select(o => (path.Name, o.Value)));

    private static string? ProblemSchema(JsonElement response) =>
        response.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out var problem)
            ? problem.GetProperty("schema").GetProperty("$ref").GetString()
            : null;

    private static string ContentType(IEnumerable<(string Path, JsonElement Operation)> operations, string id) =>
        Assert.Single(operations.Single(o => o.Operation.GetProperty("operationId").GetString() == id).Operation
            .GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject()).Name;

    /// <summary>Every schema typed both as a number and as a string, by its JSON pointer.</summary>
    private static IEnumerable<string> IntegerOrString(JsonElement element, string pointer)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array)
            {
                var types = type.EnumerateArray().Select(t => t.GetString()).ToList();
                if (types.Contains("string") && (types.Contains("integer") || types.Contains("number")))
                {
                    yield return pointer;
                }
            }

            foreach (var property in element.EnumerateObject())
            {
                foreach (var found in IntegerOrString(property.Value, pointer + "/" + property.Name))
                {
                    yield return found;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                foreach (var found in IntegerOrString(item, pointer + "/" + i++))
                {
                    yield return found;
                }
            }
        }
    }
}
