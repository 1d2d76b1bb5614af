using Microsoft.Playwright;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.OperatorConsole;

/// <summary>
/// The console in a real browser (Debian's Chromium through Playwright) against the service on a loopback port: signed
/// into with the link <c>mimi console</c> prints, it shows a provider the test enrolled, suspends it through the
/// confirmation (its lookups are refused from then on), and every page renders from the API. The run writes the
/// screenshots the README links (docs/console/).
/// </summary>
public sealed class ConsoleBrowserTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>, IDisposable
{
    private readonly CliSession _session = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task An_operator_signs_in_with_a_link_suspends_a_provider_and_its_lookups_are_refused()
    {
        var (alpha, _) = await _session.Service.EnrolAsync("alpha.test");
        var (beta, _) = await _session.Service.EnrolAsync("beta.test", trusted: true);
        using var user = Mimi.Discovery.Client.ClientCredentials.GenerateEs256("bob");
        await beta.IssueCredentialAsync("tel:+15550001111", "mimi://beta.test/u/bob", user.SubjectPublicKeyInfo, attested: true);
        Assert.Single((await alpha.LookupAsync(["tel:+15550001111"])).Results.Single().Mappings);

        var url = SignInUrl(await _session.MimiAsync($"console {_session.OperatorOptions}"));
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text + " " + message.Location);
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                errors.Add($"{response.Status} {response.Url}");
            }
        };

        await page.GotoAsync(url);
        await WaitForConsoleAsync(page, errors);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "alpha.test" })).ToBeVisibleAsync();
        // The link's token left the address bar, and the session cookie is out of the page's reach.
        Assert.DoesNotContain("#", new Uri(page.Url).Fragment.TrimStart('#').Replace("/providers", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("", await page.EvaluateAsync<string>("document.cookie"));
        await ShotAsync(page, "providers");

        await page.GetByRole(AriaRole.Link, new() { Name = "alpha.test" }).ClickAsync();
        await Assertions.Expect(page.Locator("#provider-status")).ToHaveTextAsync("active");
        await page.Locator("#provider-act").ClickAsync();
        await Assertions.Expect(page.Locator("#confirm")).ToBeVisibleAsync();
        await ShotAsync(page, "suspend-confirmation");
        // Cancelling changes nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.Equal("active", (await _session.Service.Operator().ListProvidersAsync()).Single(p => p.Domain == "alpha.test").Status);

        await page.Locator("#provider-act").ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();
        await Assertions.Expect(page.Locator("#provider-status")).ToHaveTextAsync("suspended");
        await ShotAsync(page, "provider");

        var refused = await Assert.ThrowsAsync<MimiApiException>(() => alpha.LookupAsync(["tel:+15550001111"]));
        Assert.Equal(401, refused.Status);

        // The audit trail shows the suspension, by the operator, through the console.
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit trail" }).ClickAsync();
        var suspension = page.Locator("tbody tr", new() { HasText = "provider.suspend" });
        await Assertions.Expect(suspension).ToContainTextAsync("provider:alpha.test");
        await Assertions.Expect(suspension).ToContainTextAsync("operator (operator)");
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "console.sign-in" })).ToHaveCountAsync(1);
        await ShotAsync(page, "audit");
        await page.Locator("#audit-filters input[name=action]").FillAsync("provider.suspend");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);

        // The other pages render from their APIs: the lookup alpha made, and its refusals, counted by the Lookup module's meter.
        await page.GetByRole(AriaRole.Link, new() { Name = "Lookup traffic" }).ClickAsync();
        await Assertions.Expect(page.Locator("#traffic-total")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("alpha.test");
        await ShotAsync(page, "traffic");
        await page.GetByRole(AriaRole.Link, new() { Name = "Issuance" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("beta.test");
        await ShotAsync(page, "issuance");
        await page.GetByRole(AriaRole.Link, new() { Name = "Log" }).ClickAsync();
        await Assertions.Expect(page.Locator("#log-size")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#log-checkpoint")).ToContainTextAsync("localhost/test-log");
        await ShotAsync(page, "log");
        await page.GetByRole(AriaRole.Link, new() { Name = "Quotas" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);
        await ShotAsync(page, "quotas");
        await page.GetByRole(AriaRole.Link, new() { Name = "Outbox" }).ClickAsync();
        await Assertions.Expect(page.Locator("#outbox-off")).ToContainTextAsync("not configured");
        await page.GetByRole(AriaRole.Link, new() { Name = "Abuse reports" }).ClickAsync();
        await Assertions.Expect(page.Locator("#abuse-off")).ToContainTextAsync("not configured");
        // The delivery pages ask, are answered 404 (no delivery core here) and say so; nothing else failed.
        Assert.DoesNotContain(errors, e => !e.Contains("/v1/delivery/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_used_link_does_not_sign_in_again_and_sign_out_ends_the_session()
    {
        var url = SignInUrl(await _session.MimiAsync($"console {_session.OperatorOptions}"));
        await using var first = await chromium.NewContextAsync();
        var page = await first.NewPageAsync();
        await page.GotoAsync(url);
        await WaitForConsoleAsync(page, []);

        await using var second = await chromium.NewContextAsync();
        var other = await second.NewPageAsync();
        await other.GotoAsync(url);
        await Assertions.Expect(other.Locator("h1")).ToHaveTextAsync("Sign-in failed");
        await Assertions.Expect(other.Locator("#status")).ToContainTextAsync("mimi console");
        await ShotAsync(other, "sign-in-refused");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Signed out");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Signed out");
    }

    /// <summary>Waits for the sign-in page to open the console, or fails with what the page says and what went wrong.</summary>
    private static async Task WaitForConsoleAsync(IPage page, List<string> errors)
    {
        try
        {
            // The URL, then the page's own content: a wait for the load event after a script's navigation can miss it.
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/#/providers$"), new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("#sign-out")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        }
        catch (PlaywrightException)
        {
            Assert.Fail($"The console did not open at {page.Url}; the page shows: {await page.InnerTextAsync("body")}\n{string.Join("\n", errors)}");
        }
    }

    private static string SignInUrl(string output)
    {
        var line = output.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/console/sign-in#", StringComparison.Ordinal));
        Assert.StartsWith("http://127.0.0.1:", line, StringComparison.Ordinal);
        return line;
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        var folder = Path.Combine(Tools.RepositoryRoot, "docs", "console");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
