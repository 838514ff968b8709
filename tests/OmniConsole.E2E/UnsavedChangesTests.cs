using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>Every editor keeps unsaved work from the language switch and from a link: it asks first.</summary>
[Collection(AppCollection.Name)]
public sealed class UnsavedChangesTests(AppServer app)
{
    [Fact]
    public async Task AnUnsavedSegmentAsksBeforeTheLanguageSwitchAndBeforeLeaving()
    {
        var page = await app.SignInAsync("marketer@omniconsole.demo");
        await AppServer.GotoInteractiveAsync(page, "/segments/new");
        var name = page.Locator("input[data-testid=segment-name], [data-testid=segment-name] input").First;
        await name.FillAsync("Unsaved segment (e2e)");
        await name.BlurAsync();
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Type);
            await dialog.DismissAsync(); // stay
        };

        await page.Locator("[data-testid=culture-menu] button, button[data-testid=culture-menu]").First.ClickAsync();
        await page.GetByText("Русский").ClickAsync();
        for (var i = 0; i < 50 && asked.Count == 0; i++) await page.WaitForTimeoutAsync(100);
        Assert.Equal(["beforeunload"], asked);
        Assert.EndsWith("/segments/new", page.Url);
        await Assertions.Expect(name).ToHaveValueAsync("Unsaved segment (e2e)");

        await page.Locator("a[href='/customers'], a[href='customers']").First.ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Leave without saving?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Stay" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.EndsWith("/segments/new", page.Url);
        await Assertions.Expect(name).ToHaveValueAsync("Unsaved segment (e2e)");
        await page.Context.CloseAsync();
    }
}
