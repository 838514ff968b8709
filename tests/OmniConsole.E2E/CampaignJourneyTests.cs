using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>
/// Journey 3 in the browser: a marketer builds the welcome cascade (an e-mail; 24 hours later, an SMS to whoever did not
/// open it) for a small segment and launches it; the results page and a recipient's timeline show the messages.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CampaignJourneyTests(AppServer app)
{
    [Fact]
    public async Task MarketerBuildsTheWelcomeCascadeLaunchesItAndSeesItsResultsAndTheTimeline()
    {
        var (segmentName, customerIds) = await SmallSegmentAsync();

        var page = await app.SignInAsync("marketer@omniconsole.demo", width: 1440);
        await AppServer.GotoInteractiveAsync(page, "/campaigns");
        await page.GetByTestId("campaign-new").ClickAsync();
        await page.GetByTestId("campaign-editor").WaitForAsync();
        await AppServer.WaitForInteractiveAsync(page);
        await page.Locator("input[data-testid=campaign-name], [data-testid=campaign-name] input").First.FillAsync("Welcome cascade (e2e)");
        await AppServer.PickAsync(page, page.GetByTestId("campaign-editor"), "Audience: a segment", segmentName);
        // Step 1 is an e-mail with a greeting; add "wait 24 hours unless opened", then the SMS.
        await page.GetByTestId("campaign-add-wait").ClickAsync();
        await page.GetByTestId("campaign-add-send").ClickAsync();
        await AppServer.PickAsync(page, page.GetByTestId("campaign-step-2"), "Channel", "SMS");
        // The SMS step's text field replaces the e-mail's subject and body once the channel is picked.
        var smsText = page.GetByTestId("campaign-step-2").Locator("textarea[data-testid=step-text], [data-testid=step-text] textarea").First;
        await Assertions.Expect(smsText).ToBeVisibleAsync();
        await smsText.FillAsync("{{firstName}}, мы писали вам: в клубе вас ждут 500 бонусов!");
        await Assertions.Expect(page.GetByTestId("step-sms-length")).ToContainTextAsync("1 part");
        await page.Locator("input[data-testid=campaign-preview-customer], [data-testid=campaign-preview-customer] input").First.FillAsync(customerIds[0].ToString());
        await page.Locator("input[data-testid=campaign-preview-customer], [data-testid=campaign-preview-customer] input").First.PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("campaign-step-0").GetByTestId("step-preview")).ToContainTextAsync("Вера");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "campaign-editor-1440.png"), FullPage = true });

        await page.GetByTestId("campaign-save").ClickAsync();
        await page.WaitForURLAsync(new Regex("/campaigns/cmp-"));
        await AppServer.WaitForInteractiveAsync(page);
        await page.GetByTestId("campaign-launch").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Launch" }).ClickAsync();

        // The dispatcher sends through the demo's sandbox within seconds; the page refreshes its figures while the campaign runs.
        var steps = page.GetByTestId("campaign-steps");
        await Assertions.Expect(steps.Locator("tbody tr").First).ToContainTextAsync("Email");
        await Assertions.Expect(steps.Locator("tbody tr").First.Locator("td").Nth(4)).ToHaveTextAsync("3");
        await Assertions.Expect(page.GetByTestId("campaign-audience")).ToContainTextAsync("3");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "campaign-results-1440.png"), FullPage = true });

        // A recipient's timeline shows the message with its campaign.
        await AppServer.GotoInteractiveAsync(page, $"/customers/{customerIds[0]}");
        await Assertions.Expect(page.GetByTestId("customer-name")).ToContainTextAsync("Вера");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Welcome cascade (e2e)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "campaign-recipient-timeline.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheDemoHasAFinishedCascadeWithResultsAndReportsCompareTheChannels()
    {
        var manager = await app.SignInAsync("manager@omniconsole.demo", width: 1440);
        await AppServer.GotoInteractiveAsync(manager, "/campaigns");
        await manager.GetByTestId("campaign-table").GetByText("Приветственная цепочка: письмо, затем SMS").ClickAsync();
        var steps = manager.GetByTestId("campaign-steps");
        await Assertions.Expect(steps.GetByTestId("campaign-wait-row")).ToContainTextAsync("unless the customer opened"); // the wait between them, with who left in it
        var sendRows = steps.GetByTestId("campaign-step-row");
        await Assertions.Expect(sendRows).ToHaveCountAsync(2); // the e-mail, then the SMS to those who did not open it
        var sent = int.Parse((await sendRows.First.Locator("td").Nth(4).InnerTextAsync()).Replace(",", "").Replace(" ", ""));
        var opened = int.Parse((await sendRows.First.Locator("td").Nth(6).InnerTextAsync()).Replace(",", "").Replace(" ", ""));
        var reached = int.Parse((await sendRows.First.Locator("td").Nth(2).InnerTextAsync()).Replace(",", "").Replace("\u00a0", ""));
        var smsReached = int.Parse((await sendRows.Nth(1).Locator("td").Nth(2).InnerTextAsync()).Replace(",", "").Replace(" ", ""));
        Assert.True(sent > 100 && opened > 0, $"{sent} sent, {opened} opened");
        Assert.Equal(reached - opened, smsReached); // the openers left the flow before the SMS (the unreached went on)
        Assert.Empty(await manager.GetByTestId("campaign-launch").AllAsync()); // managers read
        await manager.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "campaign-demo-results-1440.png"), FullPage = true });

        await AppServer.GotoInteractiveAsync(manager, "/reports");
        await Assertions.Expect(manager.GetByTestId("report-channels")).ToContainTextAsync("SMS");
        await manager.GetByTestId("report-channels").ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "reports-channels-1440.png") });
        await manager.Context.CloseAsync();
    }

    [Fact]
    public async Task TheDemosWinBackABTestShowsEachTextsFiguresAndItsUpliftOverTheControlGroup()
    {
        var manager = await app.SignInAsync("manager@omniconsole.demo", width: 1440);
        await AppServer.GotoInteractiveAsync(manager, "/campaigns");
        await manager.GetByTestId("campaign-table").GetByText("Вернитесь к нам: SMS, A/B-тест").ClickAsync();
        var variants = manager.GetByTestId("campaign-variant-row");
        await Assertions.Expect(variants).ToHaveCountAsync(2);
        await Assertions.Expect(variants.Nth(1)).ToContainTextAsync("500");
        var experiment = manager.GetByTestId("campaign-experiment");
        await Assertions.Expect(experiment).ToContainTextAsync("Control group");
        await Assertions.Expect(manager.GetByTestId("campaign-uplift")).ToContainTextAsync("points (95 %:");
        // The demo's texts brought customers back beyond the control group's own purchases, and the page says so.
        await Assertions.Expect(manager.GetByTestId("campaign-verdict")).ToContainTextAsync("Significant: the campaign made more customers buy");
        await manager.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "campaign-experiment-1440.png"), FullPage = true });
        await manager.Context.CloseAsync();
    }

    /// <summary>Three new customers who bought in a store of their own (so the segment is just them), with e-mail and SMS consent.</summary>
    private async Task<(string Name, List<long> Ids)> SmallSegmentAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        using var till = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        till.DefaultRequestHeaders.Add("X-Api-Key", AppServer.DemoTillKey);
        var now = DateTimeOffset.UtcNow;
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var phone = $"+7903{Random.Shared.Next(1_000_000, 9_999_999)}";
            var events = new object[]
            {
                new { eventId = $"cmp-e2e-{tag}-p{i}", type = "purchase", channel = "store", storeCode = $"E2E-{tag}", occurredAt = now.AddHours(-2).ToString("O"),
                      customer = new { phone, email = $"vera{i}.{tag.ToLowerInvariant()}@example.ru", firstName = "Вера", lastName = $"Кампанская{i}" },
                      order = new { orderNumber = $"E2E-{tag}-{i}", total = 1000m, lines = new[] { new { sku = "ACC-MOUSE-01", name = "Мышь", quantity = 1, unitPrice = 1000m } } } },
                new { eventId = $"cmp-e2e-{tag}-c{i}", type = "consent_changed", channel = "online", occurredAt = now.AddHours(-1).ToString("O"),
                      customer = new { phone }, consents = new Dictionary<string, bool> { ["email"] = true, ["sms"] = true } },
            };
            var response = await till.PostAsJsonAsync("/api/v1/events", new { events });
            var results = (await response.Content.ReadFromJsonAsync<JsonObject>())!["results"]!.AsArray();
            Assert.All(results, r => Assert.Equal("accepted", r!["status"]!.GetValue<string>()));
            ids.Add(long.Parse(results[0]!["customerId"]!.GetValue<string>()));
        }
        using var bi = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        bi.DefaultRequestHeaders.Add("X-Api-Key", "demo-bi-key-2026");
        var name = $"Store E2E-{tag} buyers";
        var segment = await bi.PostAsJsonAsync("/api/v1/segments", new { name, definition = new { attr = "purchases", storeCode = $"E2E-{tag}", op = "gte", value = 1 } });
        Assert.True(segment.IsSuccessStatusCode, await segment.Content.ReadAsStringAsync());
        Assert.Equal(3, (await segment.Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<int>());
        return (name, ids);
    }
}
