using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>
/// The real app, started as README's run command starts it (Development: demo accounts, demo data, demo API keys),
/// on a free port and a database file of its own; and headless Debian Chromium driven by Playwright.
/// </summary>
public sealed class AppServer : IAsyncLifetime
{
    public const string DemoTillKey = "demo-till-key-2026";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"omni-e2e-{Guid.NewGuid():N}");
    private AppProcess? _app;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = default!;
    public static string ScreenshotDir { get; } = Path.Combine(RepoRoot(), "test-results", "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        Directory.CreateDirectory(ScreenshotDir);
        _app = await AppProcess.StartAsync(Path.Combine(_dir, "e2e.db"));
        BaseUrl = _app.BaseUrl;

        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(Patience);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// How long a test waits for what the user would see. Generous on purpose: CI runs these on 2 loaded cores, where a
    /// circuit can take several seconds to connect and a card to render; a wait ends as soon as the thing appears.
    /// </summary>
    public const float Patience = 45_000;

    /// <summary>A new browser context (in English unless told otherwise, by the culture cookie the language menu sets).</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1366, int height = 900, string? culture = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(Patience);
        context.SetDefaultNavigationTimeout(Patience);
        if (culture is not null)
            await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = Uri.EscapeDataString($"c={culture}|uic={culture}"), Url = BaseUrl }]);
        return context;
    }

    /// <summary>A new browser context signed in as the given demo account through the sign-in page.</summary>
    public async Task<IPage> SignInAsync(string email, int width = 1366, int height = 900, string culture = "en-US")
    {
        var context = await NewContextAsync(width, height, culture);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/Account/Login**");
        // The form's fields by their ids: their labels change with the language.
        await page.Locator("#Input\\.Email").FillAsync(email);
        await page.Locator("#Input\\.Password").FillAsync("Demo#2026omni");
        await page.Locator("button.btn-primary[type=submit]").ClickAsync();
        await page.GetByTestId("sign-out").WaitForAsync();
        await WaitForInteractiveAsync(page);
        return page;
    }

    /// <summary>Opens a page and waits until its circuit is connected, so typing reaches the components.</summary>
    public static async Task GotoInteractiveAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Picks an option of the MudSelect labelled <paramref name="label"/> inside <paramref name="scope"/>.</summary>
    public static async Task PickAsync(IPage page, ILocator scope, string label, string option)
    {
        await scope.Locator(".mud-input-control").Filter(new() { Has = page.Locator($"label:text-is('{label}')") }).First.Locator(".mud-input").First.ClickAsync();
        try
        {
            await page.Locator(".mud-popover-open .mud-list-item").GetByText(option, new() { Exact = true }).First.ClickAsync(new() { Timeout = 20_000 });
            await page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 20_000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir, "pick-failed.png"), FullPage = true });
            await File.WriteAllTextAsync(Path.Combine(ScreenshotDir, "pick-failed.html"), await page.ContentAsync());
            throw;
        }
    }

    public static Task WaitForInteractiveAsync(IPage page) => page.Locator(".oc-interactive").WaitForAsync(new() { Timeout = Patience });

    public string Log => _app?.Log ?? "";

    public async Task DisposeAsync()
    {
        // The app's own log, for when a test fails in CI.
        await File.WriteAllTextAsync(Path.Combine(ScreenshotDir, "..", "e2e-app.log"), Log);
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        _app?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* the app may still hold the file for a moment */ }
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OmniConsole.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("OmniConsole.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppServer>
{
    public const string Name = "app";
}
