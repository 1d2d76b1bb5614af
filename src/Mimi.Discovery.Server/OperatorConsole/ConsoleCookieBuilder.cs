namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>
/// The anti-forgery cookie's attributes, Secure as the session cookie is. <c>SecurePolicy = Always</c> would say the
/// same, but makes the anti-forgery system refuse every request the service itself sees over http, which is how it
/// sees them behind a TLS-terminating proxy and on loopback in tests; the browser still gets a Secure cookie.
/// </summary>
internal sealed class ConsoleCookieBuilder(bool secure) : CookieBuilder
{
    public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
    {
        var options = base.Build(context, expiresFrom);
        options.Secure = secure;
        return options;
    }
}
