using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>Every page a role may open renders for it, interactive and without the error bar; screenshots for review.</summary>
[Collection(AppCollection.Name)]
public sealed class PagesTests(AppServer app)
{
    [Theory]
    [InlineData("admin@omniconsole.demo", new[] { "/", "/customers", "/admin/api-keys", "/admin/audit", "/admin/users", "/loyalty/rules" })]
    [InlineData("manager@omniconsole.demo", new[] { "/", "/customers", "/segments", "/reports" })]
    [InlineData("marketer@omniconsole.demo", new[] { "/loyalty/promocodes", "/campaigns" })]
    public async Task EachAllowedPageRendersWithoutErrors(string email, string[] paths)
    {
        var page = await app.SignInAsync(email);
        var role = email.Split('@')[0];
        foreach (var path in paths)
        {
            await AppServer.GotoInteractiveAsync(page, path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.Locator("h4, h1").First.WaitForAsync();
            Assert.False(await page.Locator("#blazor-error-ui").IsVisibleAsync(), $"{path} shows the error bar for {role}");
            Assert.Equal(0, await page.GetByTestId("access-denied").CountAsync());
            var name = path == "/" ? "dashboard" : path.Trim('/').Replace('/', '-');
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, $"page-{role}-{name}.png"), FullPage = true });
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ManagerSeesTheDashboardsChartsAndHowFreshTheyAre()
    {
        var page = await app.SignInAsync("manager@omniconsole.demo", height: 1400);
        await AppServer.GotoInteractiveAsync(page, "/");
        await Assertions.Expect(page.GetByTestId("dashboard-freshness")).ToContainTextAsync("Figures as of");
        await Assertions.Expect(page.GetByTestId("kpi-customers")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("[1-9]"));
        await Assertions.Expect(page.GetByTestId("kpi-revenue")).ToContainTextAsync("₽");
        // The demo data has purchases in several channels: bars in the sales chart, rows in the channel table, top stores.
        Assert.True(await page.GetByTestId("chart-sales").Locator("svg path, svg rect").CountAsync() > 5);
        Assert.True(await page.GetByTestId("sales-by-channel").Locator("tbody tr").CountAsync() >= 2);
        Assert.True(await page.GetByTestId("dashboard-top-stores").Locator("tbody tr").CountAsync() >= 1);
        await Assertions.Expect(page.GetByTestId("dashboard-campaigns")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "dashboard-30-days.png"), FullPage = true });

        await page.GetByTestId("dashboard-period").GetByText("12 months").ClickAsync();
        await Assertions.Expect(page.GetByTestId("dashboard-sales")).ToContainTextAsync("Sales per channel by month");
        await page.GetByTestId("dashboard-refresh").ClickAsync();
        await Assertions.Expect(page.GetByTestId("dashboard-refresh")).ToBeEnabledAsync();
        Assert.False(await page.Locator("#blazor-error-ui").IsVisibleAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "dashboard-12-months.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CustomersListFiltersByPhoneAndOpensTheCard()
    {
        var page = await app.SignInAsync("manager@omniconsole.demo");
        await AppServer.GotoInteractiveAsync(page, "/customers");
        await page.GetByTestId("customers-grid").Locator("tbody tr").First.WaitForAsync();
        await page.Locator("[data-testid=filter-phone] input, input[data-testid=filter-phone]").First.FillAsync("+7 926 555-03-03");
        var rows = page.GetByTestId("customers-grid").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("Смирнова");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "customers-filtered.png") });
        await rows.First.ClickAsync();
        await page.GetByTestId("customer-name").WaitForAsync();
        await Assertions.Expect(page.GetByTestId("interest-promocodes")).ToContainTextAsync("CART-SMIRNOVA10");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "customer-smirnova.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AdministratorCreatesAnApiKeyThatWorksOnceShownAndCanRevokeIt()
    {
        var page = await app.SignInAsync("admin@omniconsole.demo");
        await AppServer.GotoInteractiveAsync(page, "/admin/api-keys");
        var name = $"e2e-till-{Guid.NewGuid():N}"[..16];
        await page.Locator("[data-testid=key-name] input, input[data-testid=key-name]").First.FillAsync(name);
        await page.GetByTestId("key-create").ClickAsync();
        var key = (await page.GetByTestId("key-plain").TextContentAsync())!.Trim();

        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/customers/lookup?email=nobody@example.ru")).StatusCode);

        // Revoking asks first: cancelling keeps the key working.
        await page.GetByTestId($"revoke-{name}").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync(name);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "api-key-revoke-confirm.png") });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/customers/lookup?email=nobody@example.ru")).StatusCode);

        await page.GetByTestId($"revoke-{name}").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId($"revoke-{name}")).ToHaveCountAsync(0);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/customers/lookup?email=nobody@example.ru")).StatusCode);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "api-keys.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task OpeningACardIsAuditedForTheAdministrator()
    {
        var consultant = await app.SignInAsync("consultant@omniconsole.demo");
        await AppServer.GotoInteractiveAsync(consultant, "/lookup");
        await consultant.Locator("[data-testid=lookup-query] input, input[data-testid=lookup-query]").First.FillAsync("elena.sokolova@example.ru");
        await consultant.Keyboard.PressAsync("Enter");
        await consultant.GetByTestId("customer-name").WaitForAsync();
        await consultant.Context.CloseAsync();

        var admin = await app.SignInAsync("admin@omniconsole.demo");
        await AppServer.GotoInteractiveAsync(admin, "/admin/audit");
        var who = admin.Locator("[data-testid=audit-actor] input, input[data-testid=audit-actor]").First;
        await who.FillAsync("consultant@omniconsole.demo");
        await who.PressAsync("Tab"); // the typed e-mail becomes the filter (suggestions come from staff and keys)
        await Assertions.Expect(admin.GetByTestId("audit-grid")).Not.ToContainTextAsync("manager@");
        await Assertions.Expect(admin.GetByTestId("audit-grid")).ToContainTextAsync("Соколова");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "audit.png"), FullPage = true });
        await admin.Context.CloseAsync();
    }
}
