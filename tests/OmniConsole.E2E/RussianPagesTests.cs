using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>
/// The UI in Russian end to end, on an app of its own: only the demo's data, none typed by the other tests (their names
/// are English on purpose, and names staff type stay as typed).
/// </summary>
[Collection(Name)]
public sealed class RussianPagesTests(AppServer app) : IClassFixture<AppServer>
{
    /// <summary>After the other tests, not beside them: two apps and two browsers at once slow the 2 cores past the tests' patience.</summary>
    public const string Name = "russian-pages";
    /// <summary>Names an administrator gave in the configuration: the demo's API keys and the online shop's customer numbers.</summary>
    private static readonly string[] TypedNames = ["demo-online-shop", "demo-till", "demo-bi", "online-shop"];

    /// <summary>
    /// In a Russian session every page reads in Russian: no word of the app's English (its English resources' words the
    /// Russian ones never use) on any page an administrator can open, a customer's card, a campaign's and a segment's page
    /// included. Names staff typed and the catalogue's brands are data, not the app's words.
    /// </summary>
    [Fact]
    public async Task EveryPageReadsInRussianInARussianSession()
    {
        var page = await app.SignInAsync("admin@omniconsole.demo", culture: "ru-RU");
        var found = new List<string>();
        async Task ReadAsync(string what)
        {
            await page.Locator("h4, h1").First.WaitForAsync();
            await AppServer.WaitForInteractiveAsync(page);
            // The page's data arrives after its first render: read it once it has stopped changing and nothing is loading.
            var text = await page.InnerTextAsync("body");
            var waited = System.Diagnostics.Stopwatch.StartNew();
            for (string? previous = null; (text != previous || await page.Locator(".mud-progress-circular, .mud-skeleton").CountAsync() > 0)
                 && waited.ElapsedMilliseconds < AppServer.Patience;)
            {
                previous = text;
                await Task.Delay(300); // between two looks at the page
                text = await page.InnerTextAsync("body");
            }
            Assert.False(await page.Locator("#blazor-error-ui").IsVisibleAsync(), $"{what} shows the error bar");
            foreach (var name in TypedNames) text = text.Replace(name, " ", StringComparison.Ordinal);
            if (OmniConsole.Tests.EnglishWords.In(text) is { Count: > 0 } words)
            {
                found.Add($"{what}: {string.Join(", ", words)}");
                await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, $"english-{found.Count}.png"), FullPage = true });
            }
        }
        string[] paths =
        [
            "/", "/customers", "/segments", "/segments/new", "/loyalty/rules", "/loyalty/promocodes", "/campaigns", "/campaigns/new",
            "/reports", "/admin/users", "/admin/api-keys", "/admin/audit",
        ];
        foreach (var path in paths)
        {
            await AppServer.GotoInteractiveAsync(page, path);
            await ReadAsync(path);
        }
        // One of each thing's own page: the first row of its list.
        foreach (var (list, rows) in new[] { ("/campaigns", "[data-testid=campaign-table] tbody tr"), ("/segments", "a[href^=\"/segments/\"]:not([href=\"/segments/new\"])") })
        {
            await AppServer.GotoInteractiveAsync(page, list);
            await page.Locator(rows).First.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(list) + "/[^/?]+$"));
            await ReadAsync(page.Url);
        }
        await AppServer.GotoInteractiveAsync(page, "/lookup?q=%2B79265550303");
        await page.GetByTestId("customer-name").WaitForAsync();
        await ReadAsync("the card of " + await page.GetByTestId("customer-name").InnerTextAsync());
        await page.Context.CloseAsync();
        Assert.True(found.Count == 0, "English in the Russian UI: " + string.Join("; ", found));
    }
}

[CollectionDefinition(RussianPagesTests.Name, DisableParallelization = true)]
public sealed class RussianPagesCollection;
