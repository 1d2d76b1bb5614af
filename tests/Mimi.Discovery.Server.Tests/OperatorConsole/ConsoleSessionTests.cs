using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.OperatorConsole;

/// <summary>
/// The console's sign-in and sessions over HTTP, without a browser: one-time links, the cookie's attributes, the session
/// standing in for the operator's bearer token, the anti-forgery token on changing requests, expiry and sign-out.
/// </summary>
public sealed class ConsoleSessionTests : IDisposable
{
    private readonly ServiceFactory _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task A_link_signs_in_once_with_a_host_prefixed_HttpOnly_Secure_SameSite_strict_cookie()
    {
        var token = await ConsoleClient.LinkTokenAsync(_service);
        var http = ConsoleClient.Bare(_service);

        var first = await ConsoleClient.PostTokenAsync(http, token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var cookie = first.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ConsoleClient.SessionCookie + "=", StringComparison.Ordinal));
        var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
        // The session's token is not the link's, and the link's is not in any header.
        Assert.DoesNotContain(token, cookie, StringComparison.Ordinal);

        var second = await ConsoleClient.PostTokenAsync(http, token);
        await AssertProblemAsync(second, HttpStatusCode.BadRequest, "sign-in-link-invalid");
        Assert.False(second.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task The_session_serves_operator_endpoints_and_reads_need_no_antiforgery_token()
    {
        await _service.EnrolAsync("alpha.test");
        var console = await ConsoleClient.SignInAsync(_service);
        Assert.Equal("operator", console.Session.GetProperty("operator").GetString());
        Assert.Equal("X-Mimi-Antiforgery", console.Session.GetProperty("antiforgeryHeader").GetString());

        var providers = await console.SendAsync(HttpMethod.Get, "/v1/providers");
        Assert.Equal(HttpStatusCode.OK, providers.StatusCode);
        Assert.Contains("alpha.test", await providers.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await console.SendAsync(HttpMethod.Get, "/console/session")).StatusCode);
        // Provider-only endpoints are not the operator's, whichever way the operator authenticates.
        Assert.Equal(HttpStatusCode.Unauthorized, (await console.SendAsync(HttpMethod.Get, "/v1/providers/me")).StatusCode);
    }

    [Fact]
    public async Task Without_a_session_the_console_API_and_operator_endpoints_answer_401_problems()
    {
        var http = ConsoleClient.Bare(_service);
        await AssertProblemAsync(await http.GetAsync(new Uri("/console/session", UriKind.Relative)), HttpStatusCode.Unauthorized, "unauthenticated");
        await AssertProblemAsync(await http.GetAsync(new Uri("/v1/providers", UriKind.Relative)), HttpStatusCode.Unauthorized, "unauthenticated");

        var forged = new HttpRequestMessage(HttpMethod.Get, "/v1/providers");
        forged.Headers.Add("Cookie", ConsoleClient.SessionCookie + "=" + new string('A', 43));
        await AssertProblemAsync(await http.SendAsync(forged), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_changing_request_by_cookie_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        await _service.EnrolAsync("alpha.test");
        var console = await ConsoleClient.SignInAsync(_service);

        var refused = await console.SendAsync(HttpMethod.Post, "/v1/providers/alpha.test/suspend");
        await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "antiforgery-token-invalid");
        Assert.Equal("active", (await _service.Operator().ListProvidersAsync()).Single().Status);

        // A token without its cookie, or a made-up one, is no better.
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/providers/alpha.test/suspend");
        request.Headers.Add("Cookie", $"{ConsoleClient.SessionCookie}={console.Cookies[ConsoleClient.SessionCookie]}");
        request.Headers.Add("X-Mimi-Antiforgery", console.AntiforgeryToken);
        await AssertProblemAsync(await console.Http.SendAsync(request), HttpStatusCode.Forbidden, "antiforgery-token-invalid");

        var accepted = await console.SendAsync(HttpMethod.Post, "/v1/providers/alpha.test/suspend", antiforgery: true);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("suspended", (await _service.Operator().ListProvidersAsync()).Single().Status);

        // Bearer callers send no anti-forgery token and need none.
        Assert.Equal("active", (await _service.Operator().ReinstateProviderAsync("alpha.test")).Status);
    }

    [Fact]
    public async Task A_console_session_cannot_mint_sign_in_links()
    {
        var console = await ConsoleClient.SignInAsync(_service);
        var response = await console.SendAsync(HttpMethod.Post, "/v1/console/sign-in-links", antiforgery: true);
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Sign_out_ends_the_session_at_once_and_clears_the_cookie()
    {
        var console = await ConsoleClient.SignInAsync(_service);

        Assert.Equal(HttpStatusCode.Forbidden, (await console.SendAsync(HttpMethod.Delete, "/console/session")).StatusCode);
        var signOut = await console.SendAsync(HttpMethod.Delete, "/console/session", antiforgery: true);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        var cleared = signOut.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ConsoleClient.SessionCookie + "=", StringComparison.Ordinal));
        Assert.StartsWith(ConsoleClient.SessionCookie + "=;", cleared, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);

        // The old cookie, replayed, opens nothing.
        await AssertProblemAsync(await console.SendAsync(HttpMethod.Get, "/console/session"), HttpStatusCode.Unauthorized, "unauthenticated");
        await AssertProblemAsync(await console.SendAsync(HttpMethod.Get, "/v1/providers"), HttpStatusCode.Unauthorized, "unauthenticated");

        // Both acts are in the audit trail, by the operator, naming the session by a prefix of its hash: never a token.
        var events = (await _service.Operator().GetAuditEventsAsync(new AuditEventFilter(Target: null))).Events
            .Where(e => e.Action.StartsWith("console.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["console.sign-out", "console.sign-in"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(("operator", "operator"), (e.Actor.Id, e.Actor.Role)));
        Assert.Equal(events[0].Target, events[1].Target);
        Assert.Matches("^console-session:[0-9a-f]{12}$", events[0].Target);
        Assert.NotNull(events[1].RequestId);
        var recorded = JsonSerializer.Serialize(events);
        Assert.DoesNotContain(console.Cookies[ConsoleClient.SessionCookie], recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(console.AntiforgeryToken, recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_sign_in_records_nothing()
    {
        var token = await ConsoleClient.LinkTokenAsync(_service);
        var http = ConsoleClient.Bare(_service);
        Assert.Equal(HttpStatusCode.OK, (await ConsoleClient.PostTokenAsync(http, token)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ConsoleClient.PostTokenAsync(http, token)).StatusCode);
        var events = (await _service.Operator().GetAuditEventsAsync(new AuditEventFilter(Action: "console.sign-in"))).Events;
        Assert.Single(events);
    }

    [Fact]
    public async Task Links_and_sessions_end_at_their_configured_lifetimes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var service = new ServiceFactory(time: time, settings: new Dictionary<string, string?>
        {
            ["Console:SignInLinkLifetime"] = "00:02:00",
            ["Console:SessionLifetime"] = "00:10:00",
        });
        // Both links are minted before the clock moves: the operator's bearer token lives on the real clock.
        var stale = await ConsoleClient.LinkTokenAsync(service);
        var console = await ConsoleClient.SignInAsync(service);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromMinutes(10), console.Session.GetProperty("expires").GetDateTimeOffset(), TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        await AssertProblemAsync(await ConsoleClient.PostTokenAsync(ConsoleClient.Bare(service), stale), HttpStatusCode.BadRequest, "sign-in-link-invalid");
        time.Advance(TimeSpan.FromMinutes(7));
        Assert.Equal(HttpStatusCode.OK, (await console.SendAsync(HttpMethod.Get, "/console/session")).StatusCode);
        time.Advance(TimeSpan.FromMinutes(1));
        await AssertProblemAsync(await console.SendAsync(HttpMethod.Get, "/console/session"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Links_and_sessions_are_stored_only_as_hashes()
    {
        var token = await ConsoleClient.LinkTokenAsync(_service);
        var response = await ConsoleClient.PostTokenAsync(ConsoleClient.Bare(_service), token);
        var session = response.Headers.GetValues("Set-Cookie").First().Split(';')[0].Split('=')[1];

        var database = await File.ReadAllBytesAsync(_service.DatabasePath);
        var wal = _service.DatabasePath + "-wal";
        var all = File.Exists(wal) ? [.. database, .. await File.ReadAllBytesAsync(wal)] : database;
        var text = System.Text.Encoding.Latin1.GetString(all);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(session, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(System.Buffers.Text.Base64Url.DecodeFromChars(token)), Convert.ToHexString(all), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_antiforgery_key_ring_is_kept_owner_only_in_the_key_directory()
    {
        await ConsoleClient.SignInAsync(_service);
        var folder = Path.Combine(_service.KeyDirectory, "console-keys");
        var files = Directory.GetFiles(folder, "*.xml");
        Assert.NotEmpty(files);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        }
    }

    [Fact]
    public async Task The_shell_is_served_anonymously_with_a_strict_content_security_policy()
    {
        var http = ConsoleClient.Bare(_service);
        foreach (var (path, type) in new[] { ("/console/", "text/html"), ("/console/sign-in", "text/html"), ("/console/app.js", "text/javascript"), ("/console/console.css", "text/css") })
        {
            var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/console", UriKind.Relative))).StatusCode);
        await AssertProblemAsync(await http.GetAsync(new Uri("/console/missing.js", UriKind.Relative)), HttpStatusCode.NotFound, "not-found");
        await AssertProblemAsync(await http.GetAsync(new Uri("/console/..%2Fappsettings.json", UriKind.Relative)), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public void The_shell_loads_nothing_from_elsewhere_and_has_no_inline_script_or_style()
    {
        var folder = Path.Combine(Tools.RepositoryRoot, "src", "Mimi.Discovery.Server", "OperatorConsole", "assets");
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("app.js", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            // The SVG namespace names no place to load from.
            Assert.DoesNotMatch(@"https?://(?!www\.w3\.org/2000/svg)", text);
            Assert.DoesNotContain("innerHTML", text, StringComparison.Ordinal);
            if (file.EndsWith(".html", StringComparison.Ordinal))
            {
                Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", text);
                Assert.DoesNotMatch(@"<style|\sstyle=|\son[a-z]+=", text);
            }
        }
    }

    [Fact]
    public async Task With_the_console_disabled_nothing_of_it_is_mapped()
    {
        using var service = new ServiceFactory(settings: new Dictionary<string, string?> { ["Console:Enabled"] = "false" });
        var operatorHttp = ConsoleClient.Bare(service);
        operatorHttp.DefaultRequestHeaders.Authorization = new("Bearer", await service.Operator().GetAccessTokenAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await operatorHttp.GetAsync(new Uri("/console/", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorHttp.PostAsync(new Uri("/v1/console/sign-in-links", UriKind.Relative), null)).StatusCode);
        // The traffic history is an operations API of its own and stays.
        Assert.Equal(HttpStatusCode.OK, (await operatorHttp.GetAsync(new Uri("/v1/operations/lookup-traffic", UriKind.Relative))).StatusCode);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string kind)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("urn:mimi-discovery:problem:" + kind, problem.RootElement.GetProperty("type").GetString());
    }
}
