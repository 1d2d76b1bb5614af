using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Authentication;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>
/// Authenticates the operator console's session cookie against the store on every request, so a sign-out or an
/// expiry takes effect at once, and only while the session's operator is still a configured, active operator.
/// </summary>
/// <remarks>It issues no cookie and answers challenges with a bare 401 (the status-code pages make it a problem).</remarks>
internal sealed class ConsoleSessionHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> monitor,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ConsoleSessions sessions,
    ClientDirectory directory) : AuthenticationHandler<AuthenticationSchemeOptions>(monitor, loggerFactory, encoder)
{
    public const string SchemeName = "ConsoleSession";

    /// <summary>The session's hash, for the sign-out endpoint, kept on the request once authenticated.</summary>
    public const string SessionHashItem = "mimi.console.session-hash";

    /// <summary>The session's record (<see cref="Storage.ConsoleSessionRecord"/>), kept on the request once authenticated.</summary>
    public const string SessionItem = "mimi.console.session";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(sessions.CookieName, out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return AuthenticateResult.NoResult();
        }

        if (await sessions.FindAsync(cookie, Context.RequestAborted) is not { } found)
        {
            return AuthenticateResult.Fail("The console session is unknown, ended or expired; sign in again with a link from `mimi console`.");
        }

        if (directory.Find(found.Session.OperatorId) is not { Role: ClientRole.Operator, Active: true })
        {
            return AuthenticateResult.Fail($"'{found.Session.OperatorId}' is no longer a configured operator.");
        }

        Context.Items[SessionHashItem] = found.Hash;
        Context.Items[SessionItem] = found.Session;
        var principal = ConsoleSessions.Principal(found.Session.OperatorId, found.Hash);
        var properties = new AuthenticationProperties { ExpiresUtc = found.Session.ExpiresAt, IssuedUtc = found.Session.CreatedAt };
        return AuthenticateResult.Success(new AuthenticationTicket(principal, properties, SchemeName));
    }
}
