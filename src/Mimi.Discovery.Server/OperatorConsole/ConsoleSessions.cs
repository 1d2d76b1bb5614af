using System.Security.Claims;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>
/// Sign-in links and sessions: minting a link for an operator, trading it once for a session, finding the session a
/// cookie names, ending it. The cookie and its attributes are decided here, once.
/// </summary>
internal sealed class ConsoleSessions(ConsoleStore store, IOptions<OperatorConsoleOptions> options, IHostEnvironment environment, TimeProvider time)
{
    /// <summary>
    /// Secure cookies everywhere but in development, where the service is reached over plain http on loopback. Browsers
    /// accept Secure cookies from http://localhost and loopback addresses too, so tests run with them on.
    /// </summary>
    public bool Secure { get; } = !environment.IsDevelopment();

    /// <summary>The session cookie; the <c>__Host-</c> prefix (Secure, Path=/, no Domain) whenever it is Secure.</summary>
    public string CookieName => Secure ? "__Host-mimi-console" : "mimi-console";

    /// <summary>The anti-forgery cookie, named the same way.</summary>
    public string AntiforgeryCookieName => Secure ? "__Host-mimi-console-af" : "mimi-console-af";

    public const string AntiforgeryHeader = "X-Mimi-Antiforgery";

    /// <summary>Mints a sign-in link token for <paramref name="operatorId"/>; the caller puts it in a URL fragment.</summary>
    public async Task<(string Token, DateTimeOffset Expires)> CreateLinkAsync(string operatorId, CancellationToken ct)
    {
        var token = ConsoleTokens.New();
        ConsoleTokens.TryHash(token, out var hash);
        var now = time.GetUtcNow();
        var expires = now + options.Value.SignInLinkLifetime;
        await store.CreateSignInLinkAsync(hash, operatorId, now, expires, ct);
        return (token, expires);
    }

    /// <summary>Uses a link token once: the new session's token and record, or null when the token is unknown, used or expired.</summary>
    /// <remarks>The sign-in is recorded in the audit trail, by the link's operator, for request <paramref name="requestId"/>.</remarks>
    public async Task<(string Token, byte[] Hash, ConsoleSessionRecord Session)?> SignInAsync(string linkToken, string? requestId, CancellationToken ct)
    {
        if (!ConsoleTokens.TryHash(linkToken, out var linkHash))
        {
            return null;
        }

        var token = ConsoleTokens.New();
        ConsoleTokens.TryHash(token, out var hash);
        var session = await store.SignInAsync(linkHash, hash, ConsoleTokens.Prefix(hash), time.GetUtcNow(), options.Value.SessionLifetime,
            AccessTokens.OperatorRole, requestId, ct);
        return session is null ? null : (token, hash, session);
    }

    /// <summary>The open session <paramref name="cookie"/> names, with its hash; null when it names none.</summary>
    public async Task<(byte[] Hash, ConsoleSessionRecord Session)?> FindAsync(string? cookie, CancellationToken ct) =>
        ConsoleTokens.TryHash(cookie, out var hash) && await store.FindSessionAsync(hash, time.GetUtcNow(), ct) is { } session ? (hash, session) : null;

    /// <summary>
    /// Ends the session with <paramref name="hash"/> at once (every instance reads the store on each request), recorded
    /// in the audit trail by <paramref name="actor"/>.
    /// </summary>
    public Task<bool> EndAsync(byte[] hash, AuditActor actor, CancellationToken ct) =>
        store.EndSessionAsync(hash, ConsoleTokens.Prefix(hash), time.GetUtcNow(), actor, ct);

    /// <summary>The session cookie's attributes; <paramref name="expires"/> null clears it.</summary>
    public CookieOptions Cookie(DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = Secure,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
        Expires = expires ?? DateTimeOffset.UnixEpoch,
    };

    /// <summary>The principal of a session: the same shape as an operator's access token (<c>sub</c>, role), so operator endpoints serve it unchanged.</summary>
    public static ClaimsPrincipal Principal(string operatorId, byte[] sessionHash) => new(new ClaimsIdentity(
    [
        new Claim("sub", operatorId),
        new Claim(AccessTokens.RoleClaim, AccessTokens.OperatorRole),
        new Claim(SessionClaim, ConsoleTokens.Prefix(sessionHash)),
    ], ConsoleSessionHandler.SchemeName, "sub", AccessTokens.RoleClaim));

    /// <summary>The session's audit name (the start of its hash) on the principal.</summary>
    public const string SessionClaim = "console_session";
}
