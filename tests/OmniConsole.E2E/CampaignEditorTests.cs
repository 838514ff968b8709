using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>A draft being written is not lost unawares: switching the language or leaving the page asks first.</summary>
[Collection(AppCollection.Name)]
public sealed class CampaignEditorTests(AppServer app)
{
    [Fact]
    public async Task AnUnsavedDraftAsksBeforeTheLanguageSwitchAndBeforeLeaving()
    {
        var page = await app.SignInAsync("marketer@omniconsole.demo");
        await AppServer.GotoInteractiveAsync(page, "/campaigns/new");
        var name = page.Locator("input[data-testid=campaign-name], [data-testid=campaign-name] input").First;
        await name.FillAsync("Unsaved draft (e2e)");
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Type);
            await dialog.DismissAsync(); // stay
        };

        // The language switch reloads the page: the browser asks, and staying keeps the draft.
        await page.Locator("[data-testid=culture-menu] button, button[data-testid=culture-menu]").First.ClickAsync();
        await page.GetByText("Русский").ClickAsync();
        await Assertions.Expect(page.GetByText("Русский")).Not.ToBeVisibleAsync(); // the menu closed
        for (var i = 0; i < 50 && asked.Count == 0; i++) await page.WaitForTimeoutAsync(100);
        Assert.Equal(["beforeunload"], asked);
        await page.WaitForTimeoutAsync(1000); // a second prompt would come now
        Assert.Single(asked);
        Assert.EndsWith("/campaigns/new", page.Url);
        await Assertions.Expect(name).ToHaveValueAsync("Unsaved draft (e2e)");

        // A link inside the app: the editor's own question; staying keeps the draft.
        await page.Locator("a[href='/customers'], a[href='customers']").First.ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Leave without saving?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Stay" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.EndsWith("/campaigns/new", page.Url);
        await Assertions.Expect(name).ToHaveValueAsync("Unsaved draft (e2e)");
        await page.Context.CloseAsync();
    }
}
