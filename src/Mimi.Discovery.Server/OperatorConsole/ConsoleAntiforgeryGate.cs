using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>
/// After authorization succeeds: a request authenticated by the console's cookie with an unsafe method must carry
/// the anti-forgery token (header <see cref="ConsoleSessions.AntiforgeryHeader"/>), or it is refused with a 403
/// <c>antiforgery-token-invalid</c> problem before the endpoint runs. Bearer-token callers are not affected: a
/// cross-site page can make a browser send a cookie, never an Authorization header.
/// </summary>
/// <remarks>
/// Here rather than in a middleware because the cookie scheme is not the default: the principal it yields exists only
/// once the endpoint's policy has authenticated it, which is when this handler runs.
/// </remarks>
internal sealed class ConsoleAntiforgeryGate(IAntiforgery antiforgery, ILogger<ConsoleAntiforgeryGate> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded && IsUnsafe(context.Request.Method)
            && context.User.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == ConsoleSessionHandler.SchemeName)
            && !await antiforgery.IsRequestValidAsync(context))
        {
            ConsoleLog.AntiforgeryRefused(logger, context.Request.Method, context.Request.Path);
            await Problems.Create(StatusCodes.Status403Forbidden, ProblemKinds.AntiforgeryTokenInvalid, "The anti-forgery token is missing or invalid.",
                    $"A console request that changes something must carry the {ConsoleSessions.AntiforgeryHeader} header from GET /console/session.")
                .ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static bool IsUnsafe(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
}
