using Microsoft.Playwright;

namespace OmniConsole.E2E;

[Collection(AppCollection.Name)]
public sealed class SignInTests(AppServer app)
{
    [Theory]
    [InlineData("admin@omniconsole.demo", new[] { "nav-", "nav-lookup", "nav-customers", "nav-loyalty-rules", "nav-loyalty-promocodes", "nav-segments", "nav-campaigns", "nav-feedback", "nav-reports", "nav-admin-users", "nav-admin-api-keys", "nav-admin-audit" })]
    [InlineData("marketer@omniconsole.demo", new[] { "nav-", "nav-lookup", "nav-customers", "nav-loyalty-rules", "nav-loyalty-promocodes", "nav-segments", "nav-campaigns", "nav-feedback", "nav-reports" })]
    [InlineData("manager@omniconsole.demo", new[] { "nav-", "nav-lookup", "nav-customers", "nav-segments", "nav-campaigns", "nav-feedback", "nav-reports" })]
    [InlineData("consultant@omniconsole.demo", new[] { "nav-lookup", "nav-customers", "nav-feedback" })]
    public async Task EachDemoAccountSignsInAndSeesExactlyItsMenu(string email, string[] expected)
    {
        var page = await app.SignInAsync(email);

        var items = await page.GetByTestId("nav-menu").Locator("[data-testid^='nav-']").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('data-testid'))");
        Assert.Equal(expected, items);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, $"menu-{email.Split('@')[0]}.png") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ConsultantOpeningSegmentsIsDenied()
    {
        var page = await app.SignInAsync("consultant@omniconsole.demo");
        await page.GotoAsync("/segments");
        await page.GetByTestId("access-denied").WaitForAsync();
        Assert.Contains("/Account/AccessDenied", page.Url);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ConsultantStartsOnTheLookupAndCanSwitchToRussian()
    {
        var page = await app.SignInAsync("consultant@omniconsole.demo");
        await page.WaitForURLAsync("**/lookup");
        await page.Locator("[data-testid=culture-menu] button, button[data-testid=culture-menu]").First.ClickAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "culture-menu-open.png") });
        await page.GetByText("Русский").ClickAsync();
        await page.GetByText("Поиск клиента").First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "lookup-ru.png") });
        await page.Context.CloseAsync();
    }
}
