using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>Journey 6 and the manager's report: a marketer builds a segment in the builder, a manager exports it.</summary>
[Collection(AppCollection.Name)]
public sealed class SegmentJourneyTests(AppServer app)
{
    [Fact]
    public async Task MarketerBuildsASegmentAndManagerExportsExactlyItsMembers()
    {
        var page = await app.SignInAsync("marketer@omniconsole.demo", width: 1440);
        await AppServer.GotoInteractiveAsync(page, "/segments/new");

        // The new segment starts with "gender = female"; add "city = Москва", "days since last purchase ≥ 180", "consent: e-mail".
        await page.GetByTestId("add-condition").First.ClickAsync();
        var city = page.GetByTestId("condition").Nth(1);
        await AppServer.PickAsync(page, city, "Condition", "City");
        // The city field suggests the cities customers live in: type and take the suggestion as a user does, so its list
        // closes (left open, or reopened by a search still pending from an instant fill, it covers the next condition's selects).
        await Field(page.GetByTestId("condition").Nth(1), "condition-value").PressSequentiallyAsync("Моск", new() { Delay = 120 });
        await page.WaitForTimeoutAsync(1000); // a user's glance at the list: the last keystroke's search has answered
        await page.Locator(".mud-popover-open .mud-list-item").GetByText("Москва", new() { Exact = true }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new() { State = WaitForSelectorState.Detached });

        await page.GetByTestId("add-condition").First.ClickAsync();
        var lapsed = page.GetByTestId("condition").Nth(2);
        await AppServer.PickAsync(page, lapsed, "Family", "Purchases");
        await AppServer.PickAsync(page, page.GetByTestId("condition").Nth(2), "Condition", "Days since last purchase");
        await Field(page.GetByTestId("condition").Nth(2), "condition-value").FillAsync("180");

        await page.GetByTestId("add-condition").First.ClickAsync();
        await AppServer.PickAsync(page, page.GetByTestId("condition").Nth(3), "Condition", "Consent");

        await Field(page.Locator("body"), "segment-name").FillAsync("Lapsed women in Moscow (e2e)");
        // The live count settles once typing stops; wait until it no longer changes.
        var count = await SettledCountAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "segment-builder-1440.png"), FullPage = true });
        Assert.True(count > 0, "the demo data has lapsed women in Moscow with e-mail consent");
        await page.GetByTestId("segment-save").ClickAsync();
        await page.WaitForURLAsync(new Regex("/segments/\\d+$"));

        var manager = await app.SignInAsync("manager@omniconsole.demo", width: 1440);
        await AppServer.GotoInteractiveAsync(manager, "/reports");
        await AppServer.PickAsync(manager, manager.Locator("main, body").First, "Segment", "Lapsed women in Moscow (e2e)");
        await manager.GetByTestId("report-export").ClickAsync();
        var download = manager.GetByTestId("export-download").First;
        await download.WaitForAsync();
        await manager.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "reports-export-done-1440.png"), FullPage = true });

        var href = await download.GetAttributeAsync("href");
        var file = await manager.Context.APIRequest.GetAsync(app.BaseUrl + href);
        Assert.True(file.Ok, $"download answered {file.Status}");
        using var workbook = new XLWorkbook(new MemoryStream(await file.BodyAsync()));
        var rows = workbook.Worksheet("Members").RowsUsed().Skip(1).ToList();
        Assert.Equal(count, rows.Count);
        Assert.Equal(count, rows.Select(r => r.Cell(1).GetDouble()).Distinct().Count());
        Assert.Contains("•", rows[0].Cell(4).GetString() + rows[0].Cell(5).GetString()); // a manager's file masks contacts
    }

    [Fact]
    public async Task SavingASegmentThatMatchesNoOneAsksFirst()
    {
        var page = await app.SignInAsync("marketer@omniconsole.demo", width: 1440);
        await AppServer.GotoInteractiveAsync(page, "/segments/new");
        await page.GetByTestId("add-condition").First.ClickAsync();
        await AppServer.PickAsync(page, page.GetByTestId("condition").Nth(1), "Condition", "City");
        await Field(page.GetByTestId("condition").Nth(1), "condition-value").FillAsync("Атлантида");
        await Field(page.Locator("body"), "segment-name").FillAsync("Nobody (e2e)");

        await page.GetByTestId("segment-save").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.WaitForAsync();
        Assert.Contains("0 members", await dialog.TextContentAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "segment-empty-warning-1440.png") });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        Assert.EndsWith("/segments/new", page.Url); // not saved

        await page.GetByTestId("segment-save").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Save anyway" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/segments/\\d+$"));
    }

    private static ILocator Field(ILocator scope, string testId) =>
        scope.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    /// <summary>The live count once it has stopped changing.</summary>
    private static async Task<int> SettledCountAsync(IPage page)
    {
        var shown = page.GetByTestId("segment-count");
        await shown.WaitForAsync();
        int Read(string? text) => int.Parse(Regex.Replace(text ?? "", "[^0-9]", ""));
        var last = -1;
        for (var stable = 0; stable < 3;)
        {
            await Task.Delay(700);
            var now = Read(await shown.TextContentAsync());
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return last;
    }
}
