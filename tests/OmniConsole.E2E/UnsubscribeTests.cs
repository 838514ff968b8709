using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OmniConsole.E2E;

/// <summary>
/// A customer opens the unsubscribe link of a real message on a phone: the page asks (in the installation's language,
/// no sign-in) and changes nothing until the button is pressed; then the channel's consent is withdrawn.
/// </summary>
public sealed class UnsubscribeTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"omni-unsub-{Guid.NewGuid():N}");
    private readonly HttpListener _gateway = new();
    private readonly List<string> _texts = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private AppProcess _app = default!;
    private string Db => Path.Combine(_dir, "unsub.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var gatewayPort = AppProcess.FreePort();
        _gateway.Prefixes.Add($"http://127.0.0.1:{gatewayPort}/sms/");
        _gateway.Start();
        _ = Task.Run(async () =>
        {
            while (_gateway.IsListening)
            {
                HttpListenerContext call;
                try { call = await _gateway.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                var body = await JsonNode.ParseAsync(call.Request.InputStream);
                lock (_texts) _texts.Add((string)body!["text"]!);
                call.Response.StatusCode = 200;
                call.Response.Close();
            }
        });
        // The browser first: if it cannot start, no app process is left behind (xunit does not dispose a class whose start failed).
        Directory.CreateDirectory(AppServer.ScreenshotDir);
        _playwright = await Playwright.CreateAsync();
        SetDefaultExpectTimeout(AppServer.Patience);
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var port = AppProcess.FreePort();
        _app = await AppProcess.StartAsync(Db, new Dictionary<string, string>
        {
            ["OmniConsole:SeedDemoData"] = "false",
            ["OmniConsole:DefaultCulture"] = "ru-RU",
            ["OmniConsole:Messaging:QuietHours:Enabled"] = "false",
            ["OmniConsole:Messaging:Sms:Provider"] = "Http",
            ["OmniConsole:Messaging:Sms:Url"] = $"http://127.0.0.1:{gatewayPort}/sms/",
            ["OmniConsole:Messaging:PublicBaseUrl"] = $"http://127.0.0.1:{port}",
        }, port);
    }

    [Fact]
    public async Task OnAPhoneTheLinkAsksFirstAndTheButtonUnsubscribes()
    {
        var phone = "+79165550077";
        var till = Client(AppServer.DemoTillKey);
        var posted = await till.PostAsJsonAsync("/api/v1/events", new
        {
            events = new object[]
            {
                new { eventId = "u-1", type = "profile_updated", channel = "online", occurredAt = "2026-11-01T10:00:00Z", customer = new { phone, firstName = "Вера", city = "Отписково" } },
                new { eventId = "u-2", type = "consent_changed", channel = "online", occurredAt = "2026-11-01T10:01:00Z", customer = new { phone }, consents = new Dictionary<string, bool> { ["sms"] = true } },
            },
        });
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        var bi = Client("demo-bi-key-2026");
        var segment = await bi.PostAsJsonAsync("/api/v1/segments", new { name = "Отписково", definition = new { attr = "city", op = "eq", value = "Отписково" } });
        Assert.True(segment.IsSuccessStatusCode, await segment.Content.ReadAsStringAsync());
        var segmentId = (await segment.Content.ReadFromJsonAsync<JsonObject>())!["segmentId"]!.GetValue<int>();
        var campaign = await bi.PostAsJsonAsync("/api/v1/campaigns", new { name = "SMS", segmentId, steps = new[] { new { channel = "sms", text = "{{firstName}}, скидка 10 %. Отписка: {{unsubscribeUrl}}" } } });
        Assert.True(campaign.IsSuccessStatusCode, await campaign.Content.ReadAsStringAsync());
        var campaignId = (await campaign.Content.ReadFromJsonAsync<JsonObject>())!["campaignId"]!.GetValue<string>();
        Assert.True((await bi.PostAsync($"/api/v1/campaigns/{campaignId}/launch", null)).IsSuccessStatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (_texts.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        var text = Assert.Single(_texts);
        var link = Regex.Match(text, @"http://\S+/t/u/\S+").Value;
        Assert.NotEmpty(link);

        // A phone, no sign-in, no language cookie: the installation's language.
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        context.SetDefaultTimeout(AppServer.Patience);
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Отписаться от этих сообщений?" })).ToBeVisibleAsync();
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Отписаться" });
        await Expect(button).ToBeVisibleAsync();
        Assert.True((await button.BoundingBoxAsync())!.Width <= 390);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "unsubscribe-ask-phone.png"), FullPage = true });
        Assert.Equal(1, SmsConsent(phone)); // opening the link changed nothing

        await button.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Вы отписались." })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "unsubscribe-done-phone.png"), FullPage = true });
        Assert.Equal(0, SmsConsent(phone));
    }

    private long SmsConsent(string phone)
    {
        using var db = new SqliteConnection($"Data Source={Db};Pooling=False");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT c.Granted FROM CustomerConsents c JOIN CustomerIdentifiers i ON i.CustomerId = c.CustomerId WHERE i.Value = $p AND c.Channel = 'Sms'";
        command.Parameters.AddWithValue("$p", phone);
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public async Task DisposeAsync()
    {
        _app?.Dispose();
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        _gateway.Close();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
