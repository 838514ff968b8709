using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>
/// Several instances on one PostgreSQL database, as docs/operations.md lays them out: a web instance, an instance doing
/// both and a worker (so two dispatchers send), real processes started at once on a database that does not exist yet,
/// with a real SMS gateway. On the PostgreSQL server of the test command's PostgreSQL pass, and on one SQLite file in
/// the SQLite pass (a small shop's two processes).
/// </summary>
[Collection(Name)]
public sealed class MultiInstanceTests : IAsyncLifetime
{
    /// <summary>On its own: three apps, nginx and a browser take the machine.</summary>
    public const string Name = "multi-instance";
    private static readonly string? Server = Environment.GetEnvironmentVariable("OMNICONSOLE_TEST_POSTGRES") is { Length: > 0 } s ? s : null;
    private readonly string _database = $"omni_multi_{Guid.NewGuid():N}";
    private readonly string _sqliteFile = Path.Combine(Path.GetTempPath(), $"omni-multi-{Guid.NewGuid():N}.db");
    private readonly string _exports = Path.Combine(Path.GetTempPath(), $"omni-multi-exports-{Guid.NewGuid():N}");
    private readonly List<AppProcess> _apps = [];

    private SmsGateway _gateway = null!;

    public Task InitializeAsync()
    {
        _gateway = SmsGateway.Start();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TwoWebInstancesAndAWorkerShareTheWorkOnce()
    {
        Directory.CreateDirectory(_exports);
        Dictionary<string, string> Settings(string role) => new()
        {
            ["Database:Provider"] = Server is null ? "Sqlite" : "PostgreSql",
            ["ConnectionStrings:OmniConsole"] = Server is null ? $"Data Source={_sqliteFile}" : $"{Server};Database={_database}",
            ["OmniConsole:Role"] = role,
            ["OmniConsole:ExportFolder"] = _exports,
            // SMS through a real gateway; a dead instance's claims run out in seconds, not minutes.
            ["OmniConsole:Messaging:Sms:Provider"] = "Http",
            ["OmniConsole:Messaging:Sms:Url"] = _gateway.Url,
            ["OmniConsole:Messaging:Sms:TimeoutSeconds"] = "5",
            ["OmniConsole:Messaging:ClaimSeconds"] = "5",
            ["OmniConsole:Messaging:SendBatchSize"] = "10",
        };
        // Started together on an empty database: it is created, migrated and seeded once.
        var started = await Task.WhenAll(AppProcess.StartAsync(null, Settings("Web")), AppProcess.StartAsync(null, Settings("All")), AppProcess.StartAsync(null, Settings("Worker")));
        _apps.AddRange(started);
        var (a, b, worker) = (started[0], started[1], started[2]);
        Assert.Equal("4", Sql("SELECT COUNT(*) FROM \"AspNetUsers\" WHERE \"Email\" LIKE '%@omniconsole.demo'"));
        Assert.Equal("1", Sql("SELECT COUNT(*) FROM \"CustomerIdentifiers\" WHERE \"Value\" = '+79265550303'"));

        // A worker answers no page and no API; web instances do.
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(worker.BaseUrl + "/Account/Login")).StatusCode);
        Assert.Contains("Worker", await http.GetStringAsync(worker.BaseUrl + "/health"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(a.BaseUrl + "/Account/Login")).StatusCode);

        // The shared work is held by an instance that does background work, never the web-only one; the bonus job ran once.
        await Eventually(() => Sql("SELECT COALESCE(\"Holder\", '') FROM \"JobLeases\" WHERE \"Name\" = 'campaign-flow'") is { Length: > 0 } holder
            && (holder.Contains($"-{worker.ProcessId}-") || holder.Contains($"-{b.ProcessId}-")), "the campaign flow is held by b or the worker");
        await Eventually(() => Sql("SELECT COUNT(*) FROM \"JobLeases\" WHERE \"Name\" = 'bonus-lifecycle' AND \"LastRunAtUtc\" IS NOT NULL") == "1", "the bonus job ran");

        // Signed in on one web instance, the browser is signed in on the other (the cookie's keys are in the database;
        // cookies do not tell ports apart), and a card open there shows an event ingested through the first within seconds.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        var context = await browser.NewContextAsync(new() { Locale = "en-US" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(AppServer.Patience);
        await page.GotoAsync(a.BaseUrl + "/Account/Login");
        await page.FillAsync("input[name='Input.Email']", "consultant@omniconsole.demo");
        await page.FillAsync("input[name='Input.Password']", "Demo#2026omni");
        await Task.WhenAll(page.WaitForURLAsync(url => !url.Contains("/Account/Login")), page.ClickAsync("button[type=submit]"));
        await page.GotoAsync(b.BaseUrl + "/lookup?q=%2B79265550303");
        await page.GetByTestId("customer-name").WaitForAsync();
        await AppServer.WaitForInteractiveAsync(page);
        var product = $"Зонт мультиинстанс {Guid.NewGuid():N}"[..26];
        using var till = new HttpClient { BaseAddress = new Uri(a.BaseUrl) };
        till.DefaultRequestHeaders.Add("X-Api-Key", AppServer.DemoTillKey);
        var ingested = await till.PostAsJsonAsync("/api/v1/events", new
        {
            events = new[]
            {
                new
                {
                    eventId = "multi-" + Guid.NewGuid().ToString("N"), type = "product_viewed", channel = "app", occurredAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ssK"),
                    customer = new { phone = "+79265550303" }, product = new { sku = "UMB-1", name = product, price = 1990 },
                },
            },
        });
        Assert.Equal(HttpStatusCode.OK, ingested.StatusCode);
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync(product, new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "multi-instance-card.png"), FullPage = true });

        // Through docs/nginx.conf in front of the two web instances: pages load and their circuits (WebSockets) connect.
        using (var nginx = await Nginx.StartAsync(a.BaseUrl, b.BaseUrl))
        {
            var proxied = await context.NewPageAsync();
            proxied.SetDefaultTimeout(AppServer.Patience);
            await proxied.GotoAsync(nginx.BaseUrl + "/lookup?q=%2B79265550303");
            await proxied.GetByTestId("customer-name").WaitForAsync();
            await AppServer.WaitForInteractiveAsync(proxied);
            await Assertions.Expect(proxied.GetByTestId("timeline")).ToContainTextAsync(product);
            await proxied.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "multi-instance-nginx.png"), FullPage = true });
        }

        using var bi = new HttpClient();
        bi.DefaultRequestHeaders.Add("X-Api-Key", "demo-bi-key-2026");

        // A campaign to 200 customers, launched on the web instance, sent by two dispatchers (b and the worker); the worker is
        // killed mid-send. Every customer gets the SMS once: a message the worker had on its way when it died is sent again
        // by b only after its claim ran out, under the same message id, for the gateway to drop the repeat.
        var city = $"Мультиград-{Guid.NewGuid():N}"[..16];
        var phones = Enumerable.Range(0, 200).Select(i => $"+7999{Random.Shared.Next(100, 999)}{i:D4}").Distinct().ToList();
        await PostAsync(till, phones.Select(phone => (object)new
        {
            eventId = "consent-" + phone, type = "consent_changed", channel = "store", occurredAt = Now(),
            customer = new { phone, city }, consents = new Dictionary<string, bool> { ["sms"] = true },
        }));
        var segment = await bi.PostAsJsonAsync(a.BaseUrl + "/api/v1/segments", new { name = city, definition = new { attr = "city", op = "eq", value = city } });
        Assert.Equal(HttpStatusCode.Created, segment.StatusCode);
        var audienceId = (await segment.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("segmentId").GetInt32();
        // An export asked for on the web instance is written by an instance with the export queue and downloads from another.
        var queued = await bi.PostAsync($"{a.BaseUrl}/api/v1/segments/{audienceId}/exports", null);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var exportId = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("exportId").GetRawText();
        await Eventually(async () => (await bi.GetFromJsonAsync<JsonElement>($"{b.BaseUrl}/api/v1/exports/{exportId}")).GetProperty("status").GetString() == "completed", "the export completed");
        var file = await bi.GetAsync($"{b.BaseUrl}/api/v1/exports/{exportId}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        using var workbook = new XLWorkbook(new MemoryStream(await file.Content.ReadAsByteArrayAsync()));
        Assert.Equal(2, workbook.Worksheets.Count);

        // A triggered campaign (a welcome after the first purchase) with two instances able to run the flow: each customer
        // enters once, and gets its message once.
        var buyersCity = $"Триггерград-{Guid.NewGuid():N}"[..17];
        var buyers = Enumerable.Range(0, 50).Select(i => $"+7998{Random.Shared.Next(100, 999)}{i:D4}").Distinct().ToList();
        await PostAsync(till, buyers.Select(phone => (object)new
        {
            eventId = "consent-" + phone, type = "consent_changed", channel = "store", occurredAt = Now(),
            customer = new { phone, city = buyersCity }, consents = new Dictionary<string, bool> { ["sms"] = true },
        }));
        var buyersSegment = await bi.PostAsJsonAsync(a.BaseUrl + "/api/v1/segments", new { name = buyersCity, definition = new { attr = "city", op = "eq", value = buyersCity } });
        var buyersSegmentId = (await buyersSegment.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("segmentId").GetInt32();
        var welcome = await bi.PostAsJsonAsync(a.BaseUrl + "/api/v1/campaigns", new
        {
            name = buyersCity, segmentId = buyersSegmentId, trigger = new { kind = "firstPurchase" }, steps = new[] { new { channel = "sms", text = "Спасибо за первую покупку!" } },
        });
        Assert.Equal(HttpStatusCode.Created, welcome.StatusCode);
        var welcomeId = (await welcome.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("campaignId").GetString();
        Assert.Equal(HttpStatusCode.Accepted, (await bi.PostAsync($"{a.BaseUrl}/api/v1/campaigns/{welcomeId}/launch", null)).StatusCode);
        await PostAsync(till, buyers.Select(phone => (object)new
        {
            eventId = "buy-" + phone, type = "purchase", channel = "store", storeCode = "MSK-01", occurredAt = Now(), customer = new { phone },
            order = new { orderNumber = "MI-" + phone, total = 1990, lines = new[] { new { sku = "UMB-1", name = "Зонт", category = "Аксессуары", brand = "Zest", quantity = 1, unitPrice = 1990 } } },
        }));
        var everyone = buyers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Triggers are looked at once a minute.
        await Eventually(() => Sql($"SELECT COUNT(*) FROM \"CampaignRecipients\" WHERE \"CampaignId\" = '{welcomeId}'") == everyone, "every buyer enrolled");
        Assert.Equal(everyone, Sql($"SELECT COUNT(DISTINCT \"CustomerId\") FROM \"CampaignRecipients\" WHERE \"CampaignId\" = '{welcomeId}'"));
        await Eventually(() => _gateway.Posts.Where(p => buyers.Contains(p.To)).Select(p => p.To).Distinct().Count() == buyers.Count, "every buyer got the welcome");
        Assert.All(_gateway.Posts.Where(p => buyers.Contains(p.To)).GroupBy(p => p.To), g => Assert.Single(g));

        var campaign = await bi.PostAsJsonAsync(a.BaseUrl + "/api/v1/campaigns", new { name = city, segmentId = audienceId, steps = new[] { new { channel = "sms", text = "{{firstName}}, скидка 10 % до воскресенья" } } });
        Assert.Equal(HttpStatusCode.Created, campaign.StatusCode);
        var campaignId = (await campaign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("campaignId").GetString();
        Assert.Equal(HttpStatusCode.Accepted, (await bi.PostAsync($"{a.BaseUrl}/api/v1/campaigns/{campaignId}/launch", null)).StatusCode);
        // Killed while it holds a claimed batch of this campaign: some of it sent, the rest not, one perhaps on its way.
        await Eventually(() => _gateway.Posts.Count(p => phones.Contains(p.To)) >= 40
            && Sql($"SELECT COUNT(*) FROM \"OutboxMessages\" WHERE \"CampaignId\" = '{campaignId}' AND \"ClaimedBy\" LIKE '{worker.ProcessId}-%'") != "0",
            "the worker holding messages of the campaign mid-send");
        worker.Kill();
        await Eventually(() => _gateway.Posts.Where(p => phones.Contains(p.To)).Select(p => p.To).Distinct().Count() == phones.Count, "every customer got the SMS");
        await Eventually(() => Sql($"SELECT COUNT(*) FROM \"OutboxMessages\" WHERE \"CampaignId\" = '{campaignId}' AND \"Status\" = 'Sent'") == phones.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "all recorded as sent");
        var posts = _gateway.Posts.Where(p => phones.Contains(p.To)).ToList();
        // One message id per customer; a repeat, if any, is the same message id again (at most the worker's batch in flight).
        Assert.All(posts.GroupBy(p => p.To), g => Assert.Single(g.Select(p => p.MessageId).Distinct()));
        Assert.InRange(posts.Count, phones.Count, phones.Count + 10);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Events through the channel API in batches of 100, every one accepted.</summary>
    private static async Task PostAsync(HttpClient till, IEnumerable<object> events)
    {
        foreach (var chunk in events.Chunk(100))
        {
            var response = await till.PostAsJsonAsync("/api/v1/events", new { events = chunk });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
            Assert.All(results, r => Assert.Equal("accepted", r.GetProperty("status").GetString()));
        }
    }

    private static async Task Eventually(Func<bool> condition, string what) => await Eventually(() => Task.FromResult(condition()), what);

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(120)) throw new TimeoutException($"Not within 120 s: {what}");
            await Task.Delay(250);
        }
    }

    /// <summary>One value read with psql (the E2E project holds no database driver).</summary>
    private string Sql(string query, string? database = null)
    {
        if (Server is null)
        {
            using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_sqliteFile};Mode=ReadOnly;Default Timeout=30");
            sqlite.Open();
            using var command = sqlite.CreateCommand();
            command.CommandText = query;
            return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        var parts = Server!.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var start = new ProcessStartInfo("/usr/lib/postgresql/15/bin/psql", ["-h", parts["Host"], "-p", parts["Port"], "-U", parts["Username"], "-d", database ?? _database, "-tAc", query])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var psql = Process.Start(start)!;
        var output = psql.StandardOutput.ReadToEnd();
        psql.WaitForExit();
        if (psql.ExitCode != 0) throw new InvalidOperationException($"psql: {psql.StandardError.ReadToEnd()}");
        return output.Trim();
    }

    public Task DisposeAsync()
    {
        _gateway.Dispose();
        foreach (var app in _apps)
        {
            File.WriteAllText(Path.Combine(AppServer.ScreenshotDir, "..", $"multi-instance-{app.ProcessId}.log"), app.Log);
            app.Dispose();
        }
        if (Server is null)
            foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
                try { File.Delete(file); } catch (IOException) { }
        else if (_apps.Count > 0)
            try { Sql($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", "postgres"); } catch (InvalidOperationException) { }
        try { Directory.Delete(_exports, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

/// <summary>An SMS gateway as HttpGatewaySender calls it: every request kept (message id and phone), each answered after 50 ms.</summary>
internal sealed class SmsGateway : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string MessageId, string To)> _posts = new();
    public string Url { get; }
    public IReadOnlyList<(string MessageId, string To)> Posts => [.. _posts];

    private SmsGateway(int port)
    {
        Url = $"http://127.0.0.1:{port}/sms/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public static SmsGateway Start() => new(AppProcess.FreePort());

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            _ = Task.Run(async () =>
            {
                using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
                _posts.Enqueue((body.RootElement.GetProperty("messageId").GetString()!, body.RootElement.GetProperty("to").GetString()!));
                await Task.Delay(50);
                context.Response.StatusCode = 200;
                context.Response.Close();
            });
        }
    }

    public void Dispose() => _listener.Close();
}

/// <summary>nginx with the repository's docs/nginx.conf, pointed at the two web instances, on a free port.</summary>
internal sealed class Nginx : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    public string BaseUrl { get; }

    private Nginx(Process process, string dir, string baseUrl) => (_process, _dir, BaseUrl) = (process, dir, baseUrl);

    public static async Task<Nginx> StartAsync(string first, string second)
    {
        var port = AppProcess.FreePort();
        var dir = Path.Combine(Path.GetTempPath(), $"omni-nginx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var config = File.ReadAllText(Path.Combine(AppServer.RepoRoot(), "docs", "nginx.conf"))
            .Replace("127.0.0.1:5081", new Uri(first).Authority).Replace("127.0.0.1:5082", new Uri(second).Authority)
            .Replace("listen 8080;", $"listen 127.0.0.1:{port};");
        Assert.Contains(new Uri(first).Authority, config); // the file still names the upstreams this way
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), config);
        var start = new ProcessStartInfo("/usr/sbin/nginx", ["-p", dir, "-c", Path.Combine(dir, "nginx.conf"),
            "-g", $"daemon off; pid {dir}/nginx.pid; error_log {dir}/error.log;"])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        var nginx = new Nginx(Process.Start(start)!, dir, $"http://127.0.0.1:{port}");
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await http.GetAsync(nginx.BaseUrl + "/health")).IsSuccessStatusCode) return nginx;
            }
            catch (HttpRequestException) { } // not listening yet
            await Task.Delay(100);
        }
        throw new InvalidOperationException("nginx did not answer: " + File.ReadAllText(Path.Combine(dir, "error.log")));
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true); // its workers too
        _process.WaitForExit();
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(MultiInstanceTests.Name, DisableParallelization = true)]
public sealed class MultiInstanceCollection;

