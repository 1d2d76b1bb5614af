using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>
/// The console's page, styles and scripts, embedded in the service's assembly (so the published service serves them
/// from any working directory, and nothing is fetched from anywhere else), served anonymously under
/// <c>/console/</c>: they are only the shell, every figure comes from the authenticated API. Each answer carries a
/// strict Content-Security-Policy (own origin only, no inline script or style, never framed), nosniff and no referrer.
/// </summary>
internal static class ConsoleAssets
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private static readonly ManifestEmbeddedFileProvider Files = new(typeof(ConsoleAssets).Assembly, "OperatorConsole/assets");

    public static IEndpointRouteBuilder MapConsoleAssets(this IEndpointRouteBuilder app)
    {
        // Files, not API: unnamed and out of the OpenAPI document.
        var group = app.MapGroup("/console").AllowAnonymous().ExcludeFromDescription();
        // "/console" and "/console/" alike (routing ignores a trailing slash); the page names its files by absolute paths.
        group.MapGet("", (HttpContext http) => Serve(http, "index.html"));
        group.MapGet("/sign-in", (HttpContext http) => Serve(http, "sign-in.html"));
        group.MapGet("/{**path}", (string path, HttpContext http) => Serve(http, path));
        return app;
    }

    private static IResult Serve(HttpContext http, string path)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        // Small files, changed by an upgrade: revalidated every time rather than served stale.
        headers.CacheControl = "no-cache";

        var file = path.Contains("..", StringComparison.Ordinal) ? null : Files.GetFileInfo(path);
        if (file is not { Exists: true, IsDirectory: false } || !ContentTypes.TryGetContentType(path, out var contentType))
        {
            return Hosting.Problems.NotFound($"The console has no file '{path}'.");
        }

        return TypedResults.Stream(file.CreateReadStream(), contentType, lastModified: file.LastModified);
    }
}
