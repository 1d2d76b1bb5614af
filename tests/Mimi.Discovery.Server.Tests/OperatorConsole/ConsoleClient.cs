using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Mimi.Discovery.Server.Tests.OperatorConsole;

/// <summary>
/// The console's HTTP side without a browser: signs in through a link the way the sign-in page does, and sends requests
/// with the session cookie, and (when asked) the anti-forgery cookie and header, set by hand so each test says what it sends.
/// </summary>
internal sealed class ConsoleClient
{
    private ConsoleClient(HttpClient http, IReadOnlyList<string> setCookies, JsonElement session)
    {
        Http = http;
        SetCookies = setCookies;
        Cookies = setCookies.Select(c => c.Split(';')[0]).Where(c => !c.EndsWith('=')).ToDictionary(c => c[..c.IndexOf('=')], c => c[(c.IndexOf('=') + 1)..]);
        AntiforgeryToken = session.GetProperty("antiforgeryToken").GetString()!;
        Session = session;
    }

    public HttpClient Http { get; }

    /// <summary>The Set-Cookie headers of the sign-in answer.</summary>
    public IReadOnlyList<string> SetCookies { get; }

    /// <summary>Cookie name → value, as the browser would keep them.</summary>
    public Dictionary<string, string> Cookies { get; }

    public string AntiforgeryToken { get; }

    public JsonElement Session { get; }

    public const string SessionCookie = "__Host-mimi-console";
    public const string AntiforgeryCookie = "__Host-mimi-console-af";

    /// <summary>An HTTP client that keeps no cookies of its own.</summary>
    public static HttpClient Bare(ServiceFactory service) => service.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });

    /// <summary>The token of a fresh link from the operator (the part after '#').</summary>
    public static async Task<string> LinkTokenAsync(ServiceFactory service)
    {
        var link = await service.Operator().CreateConsoleSignInLinkAsync();
        return new Uri(link.Url).Fragment.TrimStart('#');
    }

    public static Task<HttpResponseMessage> PostTokenAsync(HttpClient http, string token) =>
        http.PostAsJsonAsync("/console/session", new { token });

    public static async Task<ConsoleClient> SignInAsync(ServiceFactory service)
    {
        var http = Bare(service);
        var response = await PostTokenAsync(http, await LinkTokenAsync(service));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return new ConsoleClient(http, response.Headers.GetValues("Set-Cookie").ToList(), JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>Sends with the session cookie; with the anti-forgery cookie and header when <paramref name="antiforgery"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, bool antiforgery = false, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        var cookies = new List<string> { $"{SessionCookie}={Cookies[SessionCookie]}" };
        if (antiforgery)
        {
            cookies.Add($"{AntiforgeryCookie}={Cookies[AntiforgeryCookie]}");
            request.Headers.Add("X-Mimi-Antiforgery", AntiforgeryToken);
        }

        request.Headers.Add("Cookie", string.Join("; ", cookies));
        return Http.SendAsync(request);
    }
}
