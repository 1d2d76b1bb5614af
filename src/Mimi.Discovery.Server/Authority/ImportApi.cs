using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

/// <summary>Bulk import: a trusted provider streams its verified mappings as NDJSON; every good row becomes a logged issuance.</summary>
internal static class ImportApi
{
    public const string MediaType = "application/x-ndjson";

    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder app)
    {
        var limit = app.ServiceProvider.GetRequiredService<IOptions<ImportOptions>>().Value.MaxBodyBytes;
        app.MapGroup("/v1/authority").WithTags("Authority")
            .MapPost("/import", ImportAsync).WithName("ImportMappings")
            .WithSummary("Imports verified mappings in bulk (NDJSON, one {sii, ssi, publicKey, tags} per line), each issued and logged with the provider's attestation; bad lines are reported by number and never stop the good ones. Trusted providers only.")
            .Accepts<ImportRow>(MediaType)
            .WithMetadata(new ImportBodyLimit(limit))
            .RequireAuthorization(Policies.Provider);
        return app;
    }

    private static async Task<Results<Ok<ImportSummary>, ProblemHttpResult>> ImportAsync(
        HttpContext http, ClaimsPrincipal user, ClientDirectory directory, ImportService import, IOptions<ImportOptions> options, CancellationToken ct)
    {
        var provider = user.ClientId();
        if (directory.Find(provider)?.Trust != ProviderTrust.Trusted)
        {
            return Problems.Forbidden("Only trusted providers may import mappings: each row is issued on the provider's attestation.");
        }

        // The service-wide body limit is small; this endpoint alone reads up to Import:MaxBodyBytes, line by line.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = options.Value.MaxBodyBytes;
        }

        return TypedResults.Ok(await import.ImportAsync(provider, http.Request.BodyReader, ct));
    }

    /// <summary>States the import body limit on the endpoint, so the service-wide early check applies this one instead.</summary>
    private sealed class ImportBodyLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
    }
}

/// <summary>One line of an import.</summary>
internal sealed record ImportRow(string? Sii, string? Ssi, string? PublicKey, string[]? Tags);

/// <summary>A rejected line: its number (from 1), the field at fault, a stable code and a readable reason.</summary>
internal sealed record ImportError(long Line, string Field, string Code, string Detail);

/// <summary>The outcome of an import. <see cref="Errors"/> is capped; <see cref="Rejected"/> counts every rejected line.</summary>
internal sealed record ImportSummary(long Imported, long Rejected, ImportError[] Errors, long? FirstLogIndex, long? LastLogIndex);
