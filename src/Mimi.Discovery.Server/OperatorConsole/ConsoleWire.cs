namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>A one-time sign-in link (<c>POST /v1/console/sign-in-links</c>): its token is in the URL's fragment.</summary>
internal sealed record SignInLinkView(string Url, DateTimeOffset Expires);

/// <summary>The sign-in page's body (<c>POST /console/session</c>); the endpoint reads it with <see cref="SignInBody"/>.</summary>
internal sealed record SignInRequest(string Token);

/// <summary>
/// The console session (<c>GET /console/session</c>, and the answer to signing in): who, until when, and the
/// anti-forgery token every changing request of the page sends in <see cref="AntiforgeryHeader"/>.
/// </summary>
internal sealed record ConsoleSessionView(string Operator, DateTimeOffset Expires, string AntiforgeryToken, string AntiforgeryHeader);

/// <summary>Lookup requests per minute for one requester and outcome, oldest minute first.</summary>
internal sealed record LookupTrafficSeries(string Requester, string Outcome, long Total, long[] Counts);

/// <summary>
/// <c>GET /v1/operations/lookup-traffic</c>: this instance's lookups per minute, from <see cref="Start"/> for
/// <see cref="Minutes"/> minutes, per requester and outcome.
/// </summary>
internal sealed record LookupTrafficView(DateTimeOffset Start, int Minutes, LookupTrafficSeries[] Series);
