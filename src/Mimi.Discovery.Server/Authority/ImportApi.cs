using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authority;

/// <summary>Bulk import: a trusted provider streams its verified mappings as NDJSON; every good row becomes a logged issuance.</summary>
internal static partial class ImportApi
{
    public const string MediaType = "application/x-ndjson";

    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder app)
    {
        var limit = app.ServiceProvider.GetRequiredService<IOptions<ImportOptions>>().Value.MaxBodyBytes;
        var group = app.MapGroup("/v1/authority").WithTags("Authority");
        group.MapPost("/import", ImportAsync).WithName("ImportMappings")
            .WithSummary("Imports verified mappings in bulk (NDJSON, one {sii, ssi, publicKey, tags} per line), each issued and logged with the provider's attestation; bad lines are reported by number and never stop the good ones. With importId the import is resumable: each batch records its last line in its log transaction, and lines the import committed before are skipped. Trusted providers only.")
            .Accepts<ImportRow>(MediaType)
            .WithMetadata(new ImportBodyLimit(limit))
            .RequireAuthorization(Policies.Provider);
        group.MapGet("/import/{importId}", GetProgressAsync).WithName("GetImportProgress")
            .WithSummary("What a resumable import has committed: the last line done, rows imported and rejected, the log entries. The importing provider only.")
            .RequireAuthorization(Policies.Provider);
        return app;
    }

    private static async Task<Results<Ok<ImportSummary>, ProblemHttpResult>> ImportAsync(
        string? importId, long? firstLine, HttpContext http, ClaimsPrincipal user, ClientDirectory directory, ImportService import,
        ImportProgressStore progress, IOptions<ImportOptions> options, CancellationToken ct)
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

        if (importId is not null && !ImportIdPattern().IsMatch(importId))
        {
            return Problems.InvalidRequest("importId", "importId is 8 to 64 of A-Z, a-z, 0-9, '-' and '_' (choose a random one per import).");
        }

        if (firstLine is < 1)
        {
            return Problems.InvalidRequest("firstLine", "firstLine is the number (from 1) of the body's first line in the file.");
        }

        var first = firstLine ?? 1;
        long done = 0;
        if (importId is not null)
        {
            done = (await progress.GetAsync(provider, importId, ct))?.ThroughLine ?? 0;
            if (first > done + 1)
            {
                // Lines between would be neither imported before nor now: refuse rather than lose them.
                return Problems.Conflict($"Import '{importId}' has committed lines 1–{done}; a body starting at line {first} would skip lines {done + 1}–{first - 1}. Send from line {done + 1} or earlier.");
            }
        }

        try
        {
            return TypedResults.Ok(await import.ImportAsync(provider, http.Request.BodyReader, importId, first, done, Audit.AuditActors.From(http), ct));
        }
        catch (ImportReplayedException e)
        {
            return Problems.Conflict(e.Message + " Another upload of this import is running or has just finished; ask GET /v1/authority/import/{importId} and resume after its line.");
        }
    }

    private static async Task<Results<Ok<ImportProgressView>, ProblemHttpResult>> GetProgressAsync(
        string importId, ClaimsPrincipal user, ImportProgressStore progress, CancellationToken ct)
    {
        if (!ImportIdPattern().IsMatch(importId))
        {
            return Problems.InvalidRequest("importId", "importId is 8 to 64 of A-Z, a-z, 0-9, '-' and '_'.");
        }

        // Another provider's import id answers like an unknown one.
        return await progress.GetAsync(user.ClientId(), importId, ct) is { } p
            ? TypedResults.Ok(new ImportProgressView(p.ImportId, p.ThroughLine, p.Imported, p.Rejected, p.FirstLogIndex, p.LastLogIndex, p.UpdatedAt))
            : Problems.NotFound($"Import '{importId}' has committed nothing (or is not yours).");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{8,64}$")]
    private static partial Regex ImportIdPattern();

    /// <summary>States the import body limit on the endpoint, so the service-wide early check applies this one instead.</summary>
    private sealed class ImportBodyLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
    }
}
