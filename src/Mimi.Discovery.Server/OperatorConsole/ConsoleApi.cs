using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>
/// Signing in to the console: an operator with a bearer token mints a one-time link, the sign-in page trades the
/// link's token for a session cookie, the page reads its session (and anti-forgery token) and signs out.
/// </summary>
internal static class ConsoleApi
{
    public const string SessionPath = "/console/session";
    public const string SignInPagePath = "/console/sign-in";

    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/console/sign-in-links", CreateLinkAsync).WithName("CreateConsoleSignInLink").WithTags("Console")
            .WithSummary("A one-time link that signs a browser in to the console as the calling operator (token in the URL's fragment). Operator, by bearer token only: a console session cannot mint links.")
            .RequireAuthorization(Policies.OperatorBearer);
        app.MapPost(SessionPath, SignInAsync).WithName("SignInToConsole").WithTags("Console")
            .WithSummary("Trades a sign-in link's token ({\"token\":\"…\"}) for a console session cookie; a link works once, until it expires.")
            .Accepts<SignInRequest>("application/json").AllowAnonymous();
        app.MapGet(SessionPath, GetSession).WithName("GetConsoleSession").WithTags("Console")
            .WithSummary("The console session: operator, expiry, and the anti-forgery token its changing requests carry. Console session only.")
            .RequireAuthorization(Policies.ConsoleSession);
        app.MapDelete(SessionPath, SignOutAsync).WithName("SignOutOfConsole").WithTags("Console")
            .WithSummary("Ends the console session at once and clears its cookie. Console session only (with the anti-forgery token).")
            .RequireAuthorization(Policies.ConsoleSession);
        return app;
    }

    private static async Task<Created<SignInLinkView>> CreateLinkAsync(
        ClaimsPrincipal user, ConsoleSessions sessions, IOptions<OperatorConsoleOptions> options, HttpContext http, ILogger<ConsoleSessions> logger,
        CancellationToken ct)
    {
        var (token, expires) = await sessions.CreateLinkAsync(user.ClientId(), ct);
        var request = http.Request;
        var origin = options.Value.PublicUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
        ConsoleLog.LinkIssued(logger, user.ClientId(), expires);
        // The token rides in the fragment: browsers send no fragment to any server, so it reaches no access log or Referer.
        return TypedResults.Created((string?)null, new SignInLinkView(origin + SignInPagePath + "#" + token, expires));
    }

    private static async Task<Results<Ok<ConsoleSessionView>, ProblemHttpResult>> SignInAsync(
        HttpContext http, ConsoleSessions sessions, IAntiforgery antiforgery, ILogger<ConsoleSessions> logger, CancellationToken ct)
    {
        var body = await ReadBoundedAsync(http.Request, SignInBody.MaxBytes + 1, ct);
        if (!SignInBody.TryParse(body, out var token, out var error))
        {
            return Problems.InvalidRequest("token", error!);
        }

        if (await sessions.SignInAsync(token!, Audit.AuditActors.RequestId(http), ct) is not { } opened)
        {
            ConsoleLog.SignInRefused(logger);
            return Problems.Create(StatusCodes.Status400BadRequest, ProblemKinds.SignInLinkInvalid, "The sign-in link cannot be used.",
                "The link is unknown, was used before, or has expired; get a new one with `mimi console`.");
        }

        http.Response.Cookies.Append(sessions.CookieName, opened.Token, sessions.Cookie(opened.Session.ExpiresAt));
        ConsoleLog.SignedIn(logger, ConsoleTokens.Prefix(opened.Hash), opened.Session.OperatorId, opened.Session.ExpiresAt);
        // The anti-forgery token is bound to the principal, so the new session's principal stands for this request.
        http.User = ConsoleSessions.Principal(opened.Session.OperatorId, opened.Hash);
        return TypedResults.Ok(View(http, antiforgery, opened.Session.OperatorId, opened.Session.ExpiresAt));
    }

    private static Ok<ConsoleSessionView> GetSession(HttpContext http, ClaimsPrincipal user, IAntiforgery antiforgery) =>
        TypedResults.Ok(View(http, antiforgery, user.ClientId(), (http.Items[ConsoleSessionHandler.SessionItem] as Storage.ConsoleSessionRecord)!.ExpiresAt));

    private static async Task<NoContent> SignOutAsync(HttpContext http, ClaimsPrincipal user, ConsoleSessions sessions, ILogger<ConsoleSessions> logger,
        CancellationToken ct)
    {
        var hash = (byte[])http.Items[ConsoleSessionHandler.SessionHashItem]!;
        await sessions.EndAsync(hash, Audit.AuditActors.From(http), ct);
        http.Response.Cookies.Append(sessions.CookieName, "", sessions.Cookie(null));
        http.Response.Cookies.Append(sessions.AntiforgeryCookieName, "", sessions.Cookie(null));
        ConsoleLog.SignedOut(logger, ConsoleTokens.Prefix(hash), user.ClientId());
        return TypedResults.NoContent();
    }

    private static ConsoleSessionView View(HttpContext http, IAntiforgery antiforgery, string operatorId, DateTimeOffset expires) =>
        new(operatorId, expires, antiforgery.GetAndStoreTokens(http).RequestToken!, ConsoleSessions.AntiforgeryHeader);

    /// <summary>The body, at most <paramref name="limit"/> bytes of it (enough to tell that it is too long).</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        var buffer = new byte[limit];
        var length = 0;
        int read;
        while (length < limit && (read = await request.Body.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }

        return buffer.AsMemory(0, length);
    }
}
