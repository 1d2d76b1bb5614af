using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Hosting;

/// <summary>
/// Every route in the OpenAPI document, sent what the framework cannot bind: each answer is one problem shape that names
/// the field in the wire's terms (JSON path, query parameter) and no .NET type or handler parameter.
/// </summary>
public sealed class BindingProblemTests(BindingProblemTests.Callers callers) : IClassFixture<BindingProblemTests.Callers>
{
    // What a detail must never show: .NET type and namespace names, and the handler's parameter declarations.
    private static readonly string[] Leaks = ["System.", "Mimi.", "Microsoft.", "Nullable", "String[]", "Int64", "Int32", "Boolean", "JsonElement",
        " request\"", "Request request", "parameter \"", "Row"];

    public enum Mistake
    {
        MalformedJson,
        WrongJsonType,
        MissingBody,
        WrongQueryType,
        TextPlainBody,
    }

    [Theory]
    [InlineData(Mistake.MalformedJson)]
    [InlineData(Mistake.WrongJsonType)]
    [InlineData(Mistake.MissingBody)]
    [InlineData(Mistake.WrongQueryType)]
    [InlineData(Mistake.TextPlainBody)]
    public async Task Regression_every_route_answers_binding_errors_as_a_problem_naming_the_wire_field_and_no_NET_type(Mistake mistake)
    {
        var openapi = await callers.Anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var path in openapi.GetProperty("paths").EnumerateObject())
        {
            if (path.Name.StartsWith("/mimi/", StringComparison.Ordinal) || path.Name.StartsWith("/openapi", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var route = Regex.Replace(path.Name, "{[^}]+}", "x");
                foreach (var (target, content, field, status) in Cases(openapi, route, operation.Value, mistake))
                {
                    checkedCount++;
                    var response = await callers.SendAsync(method, target, content);
                    var failure = await CheckAsync(response, field, status);
                    if (failure is not null)
                    {
                        failures.Add($"{method} {target}: {failure}");
                    }
                }
            }
        }

        Assert.True(checkedCount > 0, "no route offered this mistake");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Regression_a_lookup_with_a_string_for_identifiers_names_identifiers_not_LookupRequest()
    {
        var response = await callers.SendAsync(HttpMethod.Post, "/v1/lookup", Json("""{"identifiers":"tel:+15550001111"}"""));

        Assert.Null(await CheckAsync(response, "identifiers", 400));
        Assert.Contains("'identifiers' must be an array of strings", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Regression_a_wrong_type_inside_an_array_names_the_element()
    {
        var response = await callers.SendAsync(HttpMethod.Post, "/v1/lookup", Json("""{"identifiers":["tel:+15550001111",5]}"""));

        Assert.Null(await CheckAsync(response, "identifiers[1]", 400));
        Assert.Contains("must be a string", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Regression_a_query_parameter_that_is_not_a_number_is_named_as_a_query_parameter()
    {
        var response = await callers.Anonymous.GetAsync("/log/entries?start=x");

        Assert.Null(await CheckAsync(response, "start", 400));
        Assert.Contains("Query parameter 'start' must be a whole number", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Regression_an_import_row_of_the_wrong_type_names_the_field_not_ImportRow()
    {
        var content = new StringContent("{\"sii\": 5, \"ssi\": \"mimi://alpha.test/u/a\"}\n[1,2]\n", Encoding.UTF8, "application/x-ndjson");

        var response = await callers.SendAsync(HttpMethod.Post, "/v1/authority/import", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = summary.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["sii", "json"], errors.Select(e => e.GetProperty("field").GetString()));
        Assert.Equal("json.wrong-type", errors[0].GetProperty("code").GetString());
        Assert.Contains("'sii' must be a string", errors[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Leaks, leak => errors.Any(e => e.GetProperty("detail").GetString()!.Contains(leak, StringComparison.Ordinal)));
    }

    private static IEnumerable<(string Target, HttpContent? Content, string? Field, int? Status)> Cases(
        JsonElement openapi, string route, JsonElement operation, Mistake mistake)
    {
        var schema = JsonBodySchema(openapi, operation);
        switch (mistake)
        {
            case Mistake.MalformedJson when schema is not null:
                yield return (route, Json("{\"a\": "), null, 400);
                break;
            case Mistake.MissingBody when schema is not null:
                // An optional body may be absent; then the route answers as it would, but never with a .NET name.
                yield return (route, Json(""), null, null);
                break;
            case Mistake.TextPlainBody when schema is not null:
                yield return (route, new StringContent("{}", Encoding.UTF8, "text/plain"), null, 415);
                break;
            case Mistake.WrongJsonType when schema is { } body:
                yield return (route, Json("[]"), null, 400);
                if (body.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        // Status null: a route may ignore a property of the wrong type it does not need; when it refuses,
                        // it must name the property.
                        if (WrongValue(openapi, property.Value) is { } wrong)
                        {
                            yield return (route, Json($"{{\"{property.Name}\": {wrong}}}"), property.Name, null);
                        }
                    }
                }

                break;
            case Mistake.WrongQueryType when operation.TryGetProperty("parameters", out var parameters):
                foreach (var parameter in parameters.EnumerateArray())
                {
                    if (parameter.GetProperty("in").GetString() == "query" && parameter.TryGetProperty("schema", out var type)
                        && Types(type).Any(t => t is "integer" or "number" or "boolean"))
                    {
                        var name = parameter.GetProperty("name").GetString()!;
                        yield return ($"{route}?{name}=x", null, name, 400);
                    }
                }

                break;
        }
    }

    private static async Task<string?> CheckAsync(HttpResponseMessage response, string? field, int? status)
    {
        var body = await response.Content.ReadAsStringAsync();
        var code = (int)response.StatusCode;
        if (status is null && code < 300)
        {
            return null;
        }

        if (status is null && code >= 500)
        {
            return $"{code}: {body}";
        }

        if (status is { } expected && code != expected)
        {
            return $"{code} instead of {expected}: {body}";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{code} {response.Content.Headers.ContentType}: {body}";
        }

        var problem = JsonDocument.Parse(body).RootElement;
        if (problem.GetProperty("type").GetString() is not { } type || !type.StartsWith("urn:mimi-discovery:problem:", StringComparison.Ordinal))
        {
            return "type outside the project's prefix: " + body;
        }

        if (!problem.TryGetProperty("detail", out var detail) || string.IsNullOrWhiteSpace(detail.GetString()))
        {
            return "no detail: " + body;
        }

        // The decoded texts, not the JSON: a quoted parameter name is escaped there.
        var texts = string.Join("\n", problem.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()));
        if (Leaks.FirstOrDefault(leak => texts.Contains(leak, StringComparison.Ordinal)) is { } leaked)
        {
            return $"names '{leaked}': {body}";
        }

        if (field is not null && (!problem.TryGetProperty("field", out var named) || named.GetString() != field))
        {
            return $"field is not '{field}': {body}";
        }

        return null;
    }

    private static JsonElement? JsonBodySchema(JsonElement openapi, JsonElement operation)
    {
        if (!operation.TryGetProperty("requestBody", out var body) || !body.GetProperty("content").TryGetProperty("application/json", out var json)
            || !json.TryGetProperty("schema", out var schema))
        {
            return null;
        }

        return Resolve(openapi, schema);
    }

    private static JsonElement Resolve(JsonElement openapi, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? openapi.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..])
            : schema;

    private static string? WrongValue(JsonElement openapi, JsonElement schema)
    {
        var types = Types(Resolve(openapi, schema)).ToList();
        if (types.Contains("string") && !types.Contains("integer") && !types.Contains("number"))
        {
            return "5";
        }

        return types.FirstOrDefault(t => t is "integer" or "number" or "boolean" or "array" or "object") switch
        {
            "integer" or "number" or "boolean" or "array" => "\"x\"",
            "object" => "5",
            _ => null,
        };
    }

    private static IEnumerable<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!)
        : [type.GetString()!];

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>One service with a caller of every role: operator, provider (trusted), hosted client.</summary>
    public sealed class Callers : IAsyncLifetime
    {
        private readonly HostedProviderService _hosted = new();
        private readonly List<HttpClient> _roles = [];

        public HttpClient Anonymous => _hosted.Service.CreateClient();

        public async Task InitializeAsync()
        {
            var (provider, _) = await _hosted.Service.EnrolAsync("alpha.test", trusted: true);
            var admin = _hosted.Service.Operator();
            await admin.CreateHostedUserAsync("bob");
            using var phone = ClientCredentials.GenerateEs256("mimi://beta.test/d/phone");
            await admin.AddHostedClientAsync("bob", "phone", phone.PublicJwk);
            foreach (var client in new[] { admin, provider, _hosted.Service.As(phone) })
            {
                var http = _hosted.Service.CreateClient();
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.GetAccessTokenAsync());
                _roles.Add(http);
            }
        }

        /// <summary>Sends as the first role the route lets through (not 401 or 403).</summary>
        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string target, HttpContent? content)
        {
            var payload = content is null ? null : await content.ReadAsByteArrayAsync();
            HttpResponseMessage? last = null;
            foreach (var http in _roles)
            {
                using var request = new HttpRequestMessage(method, target);
                if (payload is not null)
                {
                    request.Content = new ByteArrayContent(payload);
                    request.Content.Headers.ContentType = content!.Headers.ContentType;
                }

                last = await http.SendAsync(request);
                await last.Content.LoadIntoBufferAsync();
                if (last.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                {
                    return last;
                }
            }

            return last!;
        }

        public Task DisposeAsync()
        {
            _hosted.Dispose();
            return Task.CompletedTask;
        }
    }
}
