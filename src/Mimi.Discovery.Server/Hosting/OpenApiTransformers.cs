using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Delivery;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// What <c>/openapi/v1.json</c> needs beyond what the endpoints declare, so that a client generator can use it,
/// added in one place: each operation's security from its authorization metadata (the same policies the
/// authorization middleware applies), the problem responses every route can give, the MIMI routes' TLS bodies,
/// binary and text content described as such, integers typed as integers, and the tile route's C2SP shape.
/// </summary>
internal static class OpenApiTransformers
{
    /// <summary>The security scheme of access tokens from <c>POST /oauth2/token</c>.</summary>
    public const string BearerScheme = "bearer";

    /// <summary>The security scheme of signed provider-to-provider requests (<c>Authorization: Mimi-Peer …</c>).</summary>
    public const string PeerScheme = "mimiPeer";

    /// <summary>The security scheme of the operator console's session cookie (its own session endpoints; operator endpoints list the bearer token).</summary>
    public const string ConsoleScheme = "consoleSession";

    /// <summary>The schema of every error answer (RFC 9457).</summary>
    public const string ProblemSchema = "ProblemDetails";

    public const string ProblemMediaType = "application/problem+json";

    /// <summary>The operation serving C2SP tlog-tiles hash tiles (<c>/log/tile/{**path}</c>).</summary>
    public const string TileOperation = "GetTile";

    /// <summary>The same endpoint, described for partial tiles (<c>….p/&lt;W&gt;</c>).</summary>
    public const string PartialTileOperation = "GetPartialTile";

    /// <summary>The operation serving C2SP tlog-tiles entry bundles (<c>/log/tile/entries/{**path}</c>).</summary>
    public const string EntryBundleOperation = "GetEntryBundle";

    /// <summary>The same endpoint, described for partial bundles (<c>….p/&lt;W&gt;</c>).</summary>
    public const string PartialEntryBundleOperation = "GetPartialEntryBundle";

    public static void Configure(OpenApiOptions options)
    {
        options.AddSchemaTransformer(StrictNumbersAsync);
        options.AddOperationTransformer(DescribeOperationAsync);
        options.AddDocumentTransformer(DescribeDocumentAsync);
    }

    /// <summary>
    /// The web JSON defaults read numbers from strings too, so the generator types every integer
    /// <c>["integer","string"]</c> with a digits pattern; the service writes numbers, and clients should send them.
    /// </summary>
    private static Task StrictNumbersAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }

    private static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document ?? throw new InvalidOperationException("The OpenAPI operation has no document to refer to.");
        var description = context.Description;
        operation.Responses ??= [];

        if (("/" + description.RelativePath).StartsWith(MimiPaths.Base + "/", StringComparison.Ordinal))
        {
            DescribeMimiBodies(operation);
        }

        foreach (var response in operation.Responses.Values.OfType<OpenApiResponse>())
        {
            DescribeNonJsonContent(response.Content);
        }

        if (operation.RequestBody is OpenApiRequestBody body)
        {
            DescribeNonJsonContent(body.Content);
        }

        var hasInput = operation.RequestBody is not null || description.ParameterDescriptions.Count > 0;
        AddProblem(operation, document, StatusCodes.Status400BadRequest,
            hasInput ? "The request is malformed or a field is invalid; `field` names it as sent." : "The request is malformed.");
        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path))
        {
            AddProblem(operation, document, StatusCodes.Status404NotFound, "Nothing is found under this path (or the caller may not see it).");
        }

        if (operation.RequestBody is not null)
        {
            AddProblem(operation, document, StatusCodes.Status413PayloadTooLarge, "The body is over the size limit.");
        }

        var (scheme, roles) = await RequiredSchemeAsync(description.ActionDescriptor.EndpointMetadata, context.ApplicationServices);
        if (scheme is not null)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = roles }];
            AddProblem(operation, document, StatusCodes.Status401Unauthorized,
                scheme switch
                {
                    PeerScheme => "The Mimi-Peer signature is missing, invalid, stale or replayed.",
                    ConsoleScheme => "The console session is missing, ended or expired.",
                    _ => "The access token is missing, invalid or expired.",
                });
            AddProblem(operation, document, StatusCodes.Status403Forbidden, "The caller may not do this (role, suspension or ownership).");
        }

        // Mapped with .RateLimited(): the same metadata Problems.RateLimited requires before answering 429.
        if (description.ActionDescriptor.EndpointMetadata.OfType<RateLimitedMetadata>().Any())
        {
            AddProblem(operation, document, StatusCodes.Status429TooManyRequests, "Over a quota; retry after `Retry-After` seconds.", retryAfter: true);
        }

        AddProblem(operation, document, StatusCodes.Status503ServiceUnavailable,
            "A dependency (the database or the shared rate-limit store) is unavailable; retry after `Retry-After` seconds.", retryAfter: true);

        // Declared errors without a body of their own answer with the one error contract.
        foreach (var (status, response) in operation.Responses)
        {
            if (status.Length == 3 && status[0] is '4' or '5' && response is OpenApiResponse { Content: null or { Count: 0 } } bare)
            {
                bare.Content = ProblemContent(document);
            }
        }

        // In status order, as a reader looks for them.
        var ordered = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in ordered)
        {
            operation.Responses[status] = response;
        }
    }

    /// <summary>
    /// The scheme and roles an endpoint requires, from the same metadata and policies the authorization middleware
    /// combines: anonymous endpoints require none, endpoints stating nothing get the fallback policy.
    /// </summary>
    private static async Task<(string? Scheme, List<string> Roles)> RequiredSchemeAsync(IList<object> metadata, IServiceProvider services)
    {
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return (null, []);
        }

        var policies = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = await AuthorizationPolicy.CombineAsync(policies, metadata.OfType<IAuthorizeData>(), metadata.OfType<AuthorizationPolicy>())
                     ?? await policies.GetFallbackPolicyAsync();
        if (policy is null)
        {
            return (null, []);
        }

        var schemeName = policy.AuthenticationSchemes.Count > 0
            ? policy.AuthenticationSchemes[0]
            : (await services.GetRequiredService<IAuthenticationSchemeProvider>().GetDefaultAuthenticateSchemeAsync())?.Name;
        var scheme = schemeName switch
        {
            JwtBearerDefaults.AuthenticationScheme => BearerScheme,
            PeerAuthenticationHandler.SchemeName => PeerScheme,
            OperatorConsole.ConsoleSessionHandler.SchemeName => ConsoleScheme,
            _ => throw new InvalidOperationException($"Authentication scheme '{schemeName}' has no OpenAPI security scheme: describe it in {nameof(OpenApiTransformers)}."),
        };
        var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct().ToList();
        return (scheme, roles);
    }

    /// <summary>MIMI bodies are TLS presentation language (draft-ietf-mimi-protocol), both ways.</summary>
    private static void DescribeMimiBodies(OpenApiOperation operation)
    {
        operation.RequestBody ??= new OpenApiRequestBody
        {
            Required = true,
            Description = "A TLS-encoded MIMI request (draft-ietf-mimi-protocol).",
            Content = new Dictionary<string, OpenApiMediaType> { [MimiApi.MediaType] = new() { Schema = Binary() } },
        };
        if (operation.Responses!.TryGetValue("200", out var ok) && ok is OpenApiResponse { Content: null or { Count: 0 } } answer)
        {
            answer.Description = "A TLS-encoded MIMI response.";
            answer.Content = new Dictionary<string, OpenApiMediaType> { [MimiApi.MediaType] = new() { Schema = Binary() } };
        }
    }

    /// <summary>
    /// Content declared with a byte[] type is typed base64 (<c>format: byte</c>); on the wire it is raw bytes. Text
    /// content is a string, whatever type the mapping named.
    /// </summary>
    private static void DescribeNonJsonContent(IDictionary<string, OpenApiMediaType>? content)
    {
        foreach (var (mediaType, value) in content ?? new Dictionary<string, OpenApiMediaType>())
        {
            if (mediaType.Contains("json", StringComparison.OrdinalIgnoreCase) || mediaType.Contains("form", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            value.Schema = IsText(mediaType) ? new OpenApiSchema { Type = JsonSchemaType.String } : Binary();
        }
    }

    private static bool IsText(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || mediaType.StartsWith("application/pem", StringComparison.OrdinalIgnoreCase);

    private static OpenApiSchema Binary() => new() { Type = JsonSchemaType.String, Format = "binary" };

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument document, int status, string description, bool retryAfter = false)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        var response = new OpenApiResponse { Description = description, Content = ProblemContent(document) };
        if (retryAfter)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            };
        }

        operation.Responses[key] = response;
    }

    private static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiDocument document) =>
        new() { [ProblemMediaType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) } };

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Mimi.Discovery";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes?.Remove(BearerScheme);
        document.Components.SecuritySchemes?.Remove(PeerScheme);
        document.Components.SecuritySchemes?.Remove(ConsoleScheme);
        document.Components.Schemas?.Remove(ProblemSchema);
        document.AddComponent(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from POST /oauth2/token: OAuth 2.0 client credentials with a private_key_jwt client assertion (RFC 7523), "
                          + "signed by a key enrolled for the client. Each operation's security requirement lists the roles it accepts.",
        });
        document.AddComponent(PeerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = PeerRequestToken.Scheme,
            Description = "A provider-to-provider request signed by the source provider (Authorization: Mimi-Peer <compact JWS>) over the method, "
                          + "target and body, with a key the discovery service vouches for.",
        });
        document.AddComponent(ConsoleScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "__Host-mimi-console",
            Description = "The operator console's session cookie (mimi-console in development), set by POST /console/session for a one-time sign-in link "
                          + "from POST /v1/console/sign-in-links. Requests that change something also carry X-Mimi-Antiforgery.",
        });
        document.AddComponent(ProblemSchema, Problem());
        DescribeTileRoute(document, TileOperation, PartialTileOperation, true,
            "A full C2SP tlog-tiles hash tile (256 hashes, height 8), e.g. /log/tile/0/x001/234.",
            "A partial C2SP tlog-tiles hash tile at the right edge of the tree (W of 256 hashes), e.g. /log/tile/1/000.p/17.");
        DescribeTileRoute(document, EntryBundleOperation, PartialEntryBundleOperation, false,
            "A full C2SP tlog-tiles entry bundle (the 256 entries of level-0 tile N, each a big-endian uint16 length and its bytes), e.g. /log/tile/entries/x001/234.",
            "A partial C2SP tlog-tiles entry bundle at the right edge of the tree (W of 256 entries), e.g. /log/tile/entries/000.p/17.");
        return Task.CompletedTask;
    }

    /// <summary>RFC 9457 problem details with the members this service adds; the README lists the <c>type</c> values.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = $"RFC 9457 problem details. `type` is {ProblemKinds.TypePrefix}<kind>; other members may follow.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", Description = $"The kind of problem: {ProblemKinds.TypePrefix}<kind>." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What is wrong, in the wire's terms." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request field at fault, as sent." },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A finer error code (identifiers, MIMI message decoding)." },
            ["retryAfterSeconds"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "With 429: seconds until a retry can succeed." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
        AdditionalPropertiesAllowed = true,
    };

    /// <summary>
    /// The tile endpoints are catch-all routes, which the generator documents as <c>/log/tile/{path}</c> and
    /// <c>/log/tile/entries/{path}</c>. Their real shape is C2SP tlog-tiles': <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c>
    /// (<c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>), where N spans path segments (1234067 is <c>x001/x234/067</c>). A
    /// path parameter cannot hold a <c>/</c>, so a generated client sends it as <c>%2F</c>, which the endpoints accept;
    /// full and partial tiles are two operations so that W is typed.
    /// </summary>
    private static void DescribeTileRoute(OpenApiDocument document, string operationId, string partialOperationId, bool hasLevel,
        string fullSummary, string partialSummary)
    {
        var entry = document.Paths.FirstOrDefault(p => p.Value.Operations?.Values.Any(o => o.OperationId == operationId) == true);
        if (entry.Key is null || !entry.Key.EndsWith("/{path}", StringComparison.Ordinal) || entry.Value is not OpenApiPathItem item)
        {
            return;
        }

        var prefix = entry.Key[..^"{path}".Length] + (hasLevel ? "{L}/" : "");
        var full = item.Operations![HttpMethod.Get];
        document.Paths.Remove(entry.Key);
        full.Parameters = hasLevel ? [Level(), Index()] : [Index()];
        full.Summary = fullSummary;
        var fullItem = new OpenApiPathItem();
        fullItem.AddOperation(HttpMethod.Get, full);
        document.Paths[prefix + "{N}"] = fullItem;

        var width = new OpenApiParameter
        {
            Name = "W",
            In = ParameterLocation.Path,
            Required = true,
            Description = "The width: how many hashes (or entries) the partial tile holds (1–255).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = "255" },
        };
        var partial = new OpenApiOperation
        {
            OperationId = partialOperationId,
            Tags = full.Tags,
            Summary = partialSummary,
            Parameters = hasLevel ? [Level(), Index(), width] : [Index(), width],
            Responses = full.Responses,
        };
        var partialItem = new OpenApiPathItem();
        partialItem.AddOperation(HttpMethod.Get, partial);
        document.Paths[prefix + "{N}.p/{W}"] = partialItem;
    }

    private static OpenApiParameter Level() => new()
    {
        Name = "L",
        In = ParameterLocation.Path,
        Required = true,
        Description = "The tile level: the tile holds hashes of tree level 8L.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0", Maximum = "7" },
    };

    private static OpenApiParameter Index() => new()
    {
        Name = "N",
        In = ParameterLocation.Path,
        Required = true,
        Description = "The tile index in 3-digit groups, all but the last prefixed with x (1234067 is x001/x234/067); a '/' inside it may be sent as %2F.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^(x[0-9]{3}/)*[0-9]{3}$" },
    };
}
