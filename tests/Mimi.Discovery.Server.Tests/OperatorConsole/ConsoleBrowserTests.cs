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
        await _session.Service.EnrolAsync("beta.test", trusted: true);
        await alpha.LookupAsync(["tel:+15550001111"]);

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
        await page.WaitForURLAsync("**/console/#/providers");
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
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_used_link_does_not_sign_in_again_and_sign_out_ends_the_session()
    {
        var url = SignInUrl(await _session.MimiAsync($"console {_session.OperatorOptions}"));
        await using var first = await chromium.NewContextAsync();
        var page = await first.NewPageAsync();
        await page.GotoAsync(url);
        await page.WaitForURLAsync("**/console/#/providers");

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
