using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>The base as a new user meets it: language, the period picker on any screen, the customer list, the card.</summary>
[Collection(AppCollection.Name)]
public sealed class FirstUseTests(AppServer app)
{
    private const string SokolovaPhone = "+79855550505";

    private static string Shot(string name) => Path.Combine(AppServer.ScreenshotDir, name);

    private static async Task OpenCardAsync(IPage page, string phone, string lastName)
    {
        await page.GotoAsync("/lookup?q=" + Uri.EscapeDataString(phone));
        await Assertions.Expect(page.GetByTestId("customer-name")).ToContainTextAsync(lastName);
        await AppServer.WaitForInteractiveAsync(page);
        await page.GetByTestId("timeline-items").WaitForAsync();
    }

    [Fact]
    public async Task TheSignInPageIsInTheInstallationsLanguageWithEnglishOneClickAway()
    {
        var context = await app.NewContextAsync(culture: null); // a first visit: no language chosen yet
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Вход");
        await page.ScreenshotAsync(new() { Path = Shot("sign-in-ru.png") });

        // A field's placeholder shows once its label has floated up, and starts where the label starts.
        var email = page.Locator("#Input\\.Email");
        await email.FocusAsync();
        Assert.Equal("start", await email.EvaluateAsync<string>("e => getComputedStyle(e, '::placeholder').textAlign"));
        await page.ScreenshotAsync(new() { Path = Shot("sign-in-ru-focused.png"), Clip = new() { X = 0, Y = 0, Width = 700, Height = 340 } });

        await page.GetByTestId("culture-links").GetByText("English").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        Assert.Contains("/Account/Login", page.Url);
        await page.ScreenshotAsync(new() { Path = Shot("sign-in-en.png") });

        await page.GotoAsync("/no-such-page");
        await Assertions.Expect(page.GetByTestId("not-found")).ToHaveTextAsync("Page not found");
        await context.CloseAsync();
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(768, 1024)]
    [InlineData(1440, 900)]
    public async Task TheTimelinePeriodPickerShowsWholeMonthsAndItsArrowsAtEveryWidth(int width, int height)
    {
        var page = await app.SignInAsync("consultant@omniconsole.demo", width, height);
        await OpenCardAsync(page, SokolovaPhone, "Соколова");

        var field = page.Locator("input[data-testid=timeline-period], [data-testid=timeline-period] input").First;
        await field.ScrollIntoViewIfNeededAsync();
        await field.ClickAsync();
        var calendar = page.Locator(".mud-popover-open").Filter(new() { Has = page.Locator(".mud-picker-calendar") });
        await Assertions.Expect(calendar).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(400); // the opening animation
        await page.ScreenshotAsync(new() { Path = Shot($"timeline-period-{width}.png") });

        // Nothing of the calendar is outside the window: not the next-month arrow, not the last weekday column.
        var box = (await calendar.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= width + 0.5, $"calendar spans {box.X}..{box.X + box.Width} in a {width} px window");
        await Assertions.Expect(calendar.Locator(".mud-picker-nav-button-next").Last).ToBeInViewportAsync(new() { Ratio = 1 });
        var days = calendar.Locator(".mud-picker-calendar-header-day");
        var rightmost = await days.EvaluateAllAsync<double>("els => Math.max(...els.map(e => e.getBoundingClientRect().right))");
        Assert.True(rightmost <= width, $"the last weekday column ends at {rightmost} in a {width} px window");
        var months = await calendar.Locator(".mud-picker-calendar-header-switch").CountAsync();
        Assert.Equal(width >= 960 ? 2 : 1, months);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheCustomerListFits1440AndBackFromACardKeepsItsFiltersSortAndPage()
    {
        var page = await app.SignInAsync("manager@omniconsole.demo", 1440, 900);
        await AppServer.GotoInteractiveAsync(page, "/customers?sort=lifetimevalue&desc=true");
        var rows = page.GetByTestId("customers-grid").Locator("tbody tr");
        await rows.First.WaitForAsync();

        // Each step waits for the rows it caused, not only for the URL (the URL is written before the rows arrive).
        await page.Locator("[data-testid=filter-city]").First.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Москва", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex("city=%D0%9C"));
        await Assertions.Expect(rows.Locator("td:nth-child(3)").Filter(new() { HasNotText = "Москва" })).ToHaveCountAsync(0);
        var firstOfPage1 = (await rows.First.Locator("td").First.TextContentAsync())!;
        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("page=2"));
        await Assertions.Expect(rows.First.Locator("td").First).Not.ToHaveTextAsync(firstOfPage1);
        var url = page.Url;
        var first = await rows.First.Locator("td").First.TextContentAsync();

        // Writing the URL does not make the page read it back and rebuild the grid (no reload loop): the table stays the same element.
        var table = page.GetByTestId("customers-grid").Locator("table");
        await table.EvaluateAsync("t => t.dataset.mark = 'settled'");
        await page.WaitForTimeoutAsync(1500);
        Assert.Equal("settled", await table.EvaluateAsync<string?>("t => t.dataset.mark ?? null"));

        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Shot("customers-1440.png") });
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"),
            "the page scrolls sideways at 1440 px");
        Assert.False(await page.GetByTestId("customers-grid").Locator(".mud-table-container").EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth + 1"),
            "the table is wider than its place at 1440 px");

        await rows.First.ClickAsync();
        await page.GetByTestId("customer-name").WaitForAsync();
        await page.GoBackAsync();
        await Assertions.Expect(rows.First.Locator("td").First).ToHaveTextAsync(first!);
        Assert.Equal(url, page.Url);
        await Assertions.Expect(page.Locator("[data-testid=filter-city]").First).ToContainTextAsync("Москва");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("ru-RU", "Средний чек", "оплачено деньгами, за вычетом возвратов")]
    [InlineData("en-US", "Average check", "paid, net of refunds")]
    public async Task TheCardReadsInRussianAndEnglish(string culture, string averageLabel, string definition)
    {
        var page = await app.SignInAsync("consultant@omniconsole.demo", 1440, 1000, culture);
        await OpenCardAsync(page, SokolovaPhone, "Соколова");

        await Assertions.Expect(page.GetByTestId("kpi-average")).ToContainTextAsync(averageLabel);
        await Assertions.Expect(page.GetByTestId("kpi-ltv")).ToContainTextAsync(definition);
        await Assertions.Expect(page.GetByTestId("customer-identifiers")).ToContainTextAsync("+7 985 555-05-05");
        await Assertions.Expect(page.GetByTestId("bonus-active")).Not.ToContainTextAsync("₽");
        await page.ScreenshotAsync(new() { Path = Shot($"card-sokolova-{culture[..2]}.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheUserMenuLeadsToPasswordAndTwoFactorAndTheLogoReadsInDarkMode()
    {
        var page = await app.SignInAsync("consultant@omniconsole.demo");
        await page.GetByTestId("account-link").ClickAsync();
        await page.WaitForURLAsync("**/Account/Manage");
        await Assertions.Expect(page.Locator("a[href='Account/Manage/ChangePassword']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("a[href='Account/Manage/TwoFactorAuthentication']")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("account-page.png") });

        await AppServer.GotoInteractiveAsync(page, "/lookup");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Assertions.Expect(page.GetByTestId("logo")).ToHaveAttributeAsync("src", "/brand/logo-dark.svg");
        await page.ScreenshotAsync(new() { Path = Shot("lookup-dark.png") });
        await page.GetByTestId("theme-toggle").ClickAsync(); // leave the browser's stored choice as it was
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnEmptyLookupSaysWhatToTypeAndAFirstNameFindsCustomers()
    {
        var page = await app.SignInAsync("consultant@omniconsole.demo", 768);
        await AppServer.GotoInteractiveAsync(page, "/lookup");
        await page.GetByTestId("lookup-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("lookup-how")).ToBeVisibleAsync();

        await page.Locator("[data-testid=lookup-query] input, input[data-testid=lookup-query]").First.FillAsync("Мария");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("lookup-hits")).ToContainTextAsync("Мария Петрова");
        await page.ScreenshotAsync(new() { Path = Shot("lookup-first-name.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
