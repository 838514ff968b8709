using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OmniConsole.E2E;

[Collection(AppCollection.Name)]
public sealed class CustomerLookupTests(AppServer app)
{
    /// <summary>Алексей Иванов from the demo data (journey 1), phone +7 916 123-45-67.</summary>
    private const string ShowcasePhone = "+79161234567";

    [Fact]
    public async Task ConsultantFindsACustomerByPhoneAndSeesAPostedEventArriveLive()
    {
        var page = await app.SignInAsync("consultant@omniconsole.demo", width: 768);
        await AppServer.GotoInteractiveAsync(page, "/lookup");
        await page.Locator("[data-testid=lookup-query] input, input[data-testid=lookup-query]").First.FillAsync("8 (916) 123-45-67");
        await page.Keyboard.PressAsync("Enter");

        // Wait for what the consultant waits for, the card with the customer's name, not for a URL change: on a loaded
        // machine the navigation can commit long before (or, counted from the click, long after) any fixed URL wait.
        var name = page.GetByTestId("customer-name");
        try
        {
            await Assertions.Expect(name).ToContainTextAsync("Иванов");
        }
        catch (PlaywrightException)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "lookup-did-not-open.png"), FullPage = true });
            throw;
        }
        Assert.Matches(new Regex("/customers/\\d+(\\?q=[^/]*)?$"), page.Url);
        await AppServer.WaitForInteractiveAsync(page);
        // A consultant sees the phone they searched by in full and the customer's other contacts masked.
        var identifiers = page.GetByTestId("customer-identifiers");
        await Assertions.Expect(identifiers).ToContainTextAsync("+7 916 123-45-67");
        await Assertions.Expect(identifiers).ToContainTextAsync("•");
        var pendingBefore = await page.GetByTestId("bonus-pending").TextContentAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "customer-card-768.png"), FullPage = true });

        // A till sends a purchase for this customer; the open card shows it without a reload.
        var eventId = $"e2e-{Guid.NewGuid():N}";
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", AppServer.DemoTillKey);
        var response = await http.PostAsJsonAsync("/api/v1/events", new
        {
            events = new[]
            {
                new
                {
                    eventId, type = "purchase", channel = "store", storeCode = "MSK-01",
                    occurredAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
                    customer = new { phone = ShowcasePhone },
                    order = new
                    {
                        orderNumber = eventId, total = 2990.00m,
                        lines = new[] { new { sku = "E2E-CABLE", name = "Кабель USB-C E2E", category = "Аксессуары", brand = "Acme", quantity = 1, unitPrice = 2990.00m } },
                    },
                },
            },
        });
        response.EnsureSuccessStatusCode();
        Assert.Contains("\"accepted\"", await response.Content.ReadAsStringAsync());

        var row = page.Locator($"[data-event-id='{eventId}']");
        await Assertions.Expect(row).ToContainTextAsync("Кабель USB-C E2E");
        await Assertions.Expect(page.GetByTestId("bonus-pending")).Not.ToHaveTextAsync(pendingBefore!);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "customer-card-live-event.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ConsultantFiltersTheTimelineByChannel()
    {
        var page = await app.SignInAsync("consultant@omniconsole.demo");
        await page.GotoAsync("/lookup?q=" + Uri.EscapeDataString(ShowcasePhone));
        await Assertions.Expect(page.GetByTestId("customer-name")).ToContainTextAsync("Иванов");
        await AppServer.WaitForInteractiveAsync(page);
        var rows = page.GetByTestId("timeline-items").Locator("tr[data-event-id]");
        await rows.First.WaitForAsync();
        Assert.True(await page.GetByTestId("timeline-items").Locator("tr[data-channel=store]").CountAsync() > 0, "the unfiltered timeline has store items");

        await page.Locator("input[data-testid=timeline-channel-filter]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Email", Exact = true }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");

        await Assertions.Expect(page.GetByTestId("timeline-items").Locator("tr[data-channel=store]")).ToHaveCountAsync(0);
        var channels = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.channel)");
        Assert.NotEmpty(channels);
        Assert.All(channels, c => Assert.Equal("email", c));
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "customer-timeline-email-only.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
