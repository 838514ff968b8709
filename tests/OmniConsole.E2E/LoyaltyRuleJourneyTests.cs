using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>Journey 1: a marketer runs "x3 on Electronics in the app this week"; a purchase earns by it; the consultant sees the lots with their rules.</summary>
[Collection(AppCollection.Name)]
public sealed class LoyaltyRuleJourneyTests(AppServer app)
{
    private const string RuleName = "x3 on Electronics in the app (e2e)";

    [Fact]
    public async Task MarketerCreatesAWeeksRuleAPurchaseAccruesByItAndTheCardShowsTheLotsWithRuleNames()
    {
        var page = await app.SignInAsync("marketer@omniconsole.demo", width: 1440);
        await AppServer.GotoInteractiveAsync(page, "/loyalty/rules");
        await page.GetByTestId("rule-new").ClickAsync();
        var editor = page.GetByTestId("rule-editor");
        await Field(editor, "rule-name").FillAsync(RuleName);
        await Field(editor, "rule-percent").FillAsync("10");
        await Field(editor, "rule-categories").FillAsync("Electronics");
        var today = DateTime.UtcNow.Date;
        await Field(editor, "rule-valid-from").FillAsync(today.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture));
        await Field(editor, "rule-valid-to").FillAsync(today.AddDays(7).ToString("MM/dd/yyyy", CultureInfo.InvariantCulture));
        await editor.Locator(".mud-input-control").Filter(new() { Has = page.Locator("label:text-is('Channels')") }).First.Locator(".mud-input").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText("Mobile app", new() { Exact = true }).First.ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.GetByTestId("rule-preview-button").ClickAsync();
        await page.GetByTestId("rule-preview").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "loyalty-rule-editor-1440.png"), FullPage = true });
        await page.GetByTestId("rule-save").ClickAsync();

        var row = page.GetByTestId("rules-table").Locator("tr").Filter(new() { HasText = RuleName });
        await row.GetByTestId("rule-activate").ClickAsync();
        await Assertions.Expect(row.GetByTestId("rule-status")).ToHaveTextAsync("In effect");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "loyalty-rules-1440.png"), FullPage = true });

        // The app sends a purchase: 20,000 of Electronics and 10,000 of books.
        var phone = $"+7925{Random.Shared.Next(1_000_000, 9_999_999)}";
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", AppServer.DemoTillKey);
        var response = await http.PostAsJsonAsync("/api/v1/events", new
        {
            events = new[]
            {
                new
                {
                    eventId = $"e2e-{Guid.NewGuid():N}", type = "purchase", channel = "app",
                    occurredAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
                    customer = new { phone, firstName = "Ирина", lastName = "Правилова" },
                    order = new
                    {
                        orderNumber = $"E2E-{Guid.NewGuid():N}", total = 30000m,
                        lines = new[]
                        {
                            new { sku = "E2E-TV", name = "Телевизор E2E", category = "Electronics", brand = "Acme", quantity = 1, unitPrice = 20000m },
                            new { sku = "E2E-BOOK", name = "Книга E2E", category = "Books", brand = "Acme", quantity = 2, unitPrice = 5000m },
                        },
                    },
                },
            },
        });
        response.EnsureSuccessStatusCode();
        var result = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0];
        Assert.Equal("accepted", result.GetProperty("status").GetString());
        var customerId = result.GetProperty("customerId").GetString();

        var consultant = await app.SignInAsync("consultant@omniconsole.demo", width: 1366);
        await AppServer.GotoInteractiveAsync(consultant, $"/customers/{customerId}");
        var ledger = consultant.GetByTestId("bonus-ledger");
        await ledger.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(ledger).ToContainTextAsync(RuleName);
        await Assertions.Expect(ledger).ToContainTextAsync("Базовое начисление"); // the demo names its base rule in Russian
        await Assertions.Expect(ledger).ToContainTextAsync("2,000.00"); // 10 % of the 20,000 of Electronics
        await Assertions.Expect(ledger).ToContainTextAsync("1,500.00"); // the default 5 % of 30,000
        await consultant.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "customer-ledger-1366.png"), FullPage = true });
    }

    private static ILocator Field(ILocator scope, string testId) =>
        scope.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;
}
