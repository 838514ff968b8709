using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using Microsoft.Playwright;

namespace OmniConsole.E2E;

/// <summary>
/// Several instances on one PostgreSQL database, as docs/operations.md lays them out: two web instances and a worker,
/// real processes started at once on a database that does not exist yet. Runs in the test command's PostgreSQL pass.
/// </summary>
public sealed class MultiInstanceTests : IAsyncLifetime
{
    private static readonly string? Server = Environment.GetEnvironmentVariable("OMNICONSOLE_TEST_POSTGRES") is { Length: > 0 } s ? s : null;
    private readonly string _database = $"omni_multi_{Guid.NewGuid():N}";
    private readonly string _exports = Path.Combine(Path.GetTempPath(), $"omni-multi-exports-{Guid.NewGuid():N}");
    private readonly List<AppProcess> _apps = [];

    public Task InitializeAsync() => Task.CompletedTask;

    [MultiInstanceFact]
    public async Task TwoWebInstancesAndAWorkerShareTheWorkOnce()
    {
        Directory.CreateDirectory(_exports);
        Dictionary<string, string> Settings(string role) => new()
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:OmniConsole"] = $"{Server};Database={_database}",
            ["OmniConsole:Role"] = role,
            ["OmniConsole:ExportFolder"] = _exports,
        };
        // Started together on an empty database: it is created, migrated and seeded once.
        var started = await Task.WhenAll(AppProcess.StartAsync(null, Settings("Web")), AppProcess.StartAsync(null, Settings("Web")), AppProcess.StartAsync(null, Settings("Worker")));
        _apps.AddRange(started);
        var (a, b, worker) = (started[0], started[1], started[2]);
        Assert.Equal("4", Sql("SELECT COUNT(*) FROM \"AspNetUsers\" WHERE \"Email\" LIKE '%@omniconsole.demo'"));
        Assert.Equal("1", Sql("SELECT COUNT(*) FROM \"CustomerIdentifiers\" WHERE \"Value\" = '+79265550303'"));

        // A worker answers no page and no API; web instances do.
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(worker.BaseUrl + "/Account/Login")).StatusCode);
        Assert.Contains("Worker", await http.GetStringAsync(worker.BaseUrl + "/health"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(a.BaseUrl + "/Account/Login")).StatusCode);

        // The shared work is the worker's: the campaign flow's lease is held by its process, the bonus job ran there once.
        await Eventually(() => Sql("SELECT \"Holder\" FROM \"JobLeases\" WHERE \"Name\" = 'campaign-flow'").Contains($"-{worker.ProcessId}-"), "the worker holds the campaign flow");
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
        using (var nginx = Nginx.Start(a.BaseUrl, b.BaseUrl))
        {
            var proxied = await context.NewPageAsync();
            proxied.SetDefaultTimeout(AppServer.Patience);
            await proxied.GotoAsync(nginx.BaseUrl + "/lookup?q=%2B79265550303");
            await proxied.GetByTestId("customer-name").WaitForAsync();
            await AppServer.WaitForInteractiveAsync(proxied);
            await Assertions.Expect(proxied.GetByTestId("timeline")).ToContainTextAsync(product);
            await proxied.ScreenshotAsync(new() { Path = Path.Combine(AppServer.ScreenshotDir, "multi-instance-nginx.png"), FullPage = true });
        }

        // An export asked for on one web instance is written by the worker and downloads from the other.
        using var bi = new HttpClient();
        bi.DefaultRequestHeaders.Add("X-Api-Key", "demo-bi-key-2026");
        using var segments = JsonDocument.Parse(await bi.GetStringAsync(a.BaseUrl + "/api/v1/segments"));
        var segmentId = segments.RootElement.GetProperty("items")[0].GetProperty("segmentId").GetInt32();
        var queued = await bi.PostAsync($"{a.BaseUrl}/api/v1/segments/{segmentId}/exports", null);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var exportId = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("exportId").GetRawText();
        await Eventually(async () => (await bi.GetFromJsonAsync<JsonElement>($"{b.BaseUrl}/api/v1/exports/{exportId}")).GetProperty("status").GetString() == "completed", "the export completed");
        var file = await bi.GetAsync($"{b.BaseUrl}/api/v1/exports/{exportId}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        using var workbook = new XLWorkbook(new MemoryStream(await file.Content.ReadAsByteArrayAsync()));
        Assert.Equal(2, workbook.Worksheets.Count); // written by the worker: web instances run no export queue
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
        foreach (var app in _apps)
        {
            File.WriteAllText(Path.Combine(AppServer.ScreenshotDir, "..", $"multi-instance-{app.ProcessId}.log"), app.Log);
            app.Dispose();
        }
        if (Server is not null && _apps.Count > 0)
            try { Sql($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", "postgres"); } catch (InvalidOperationException) { }
        try { Directory.Delete(_exports, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

/// <summary>nginx with the repository's docs/nginx.conf, pointed at the two web instances, on a free port.</summary>
internal sealed class Nginx : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    public string BaseUrl { get; }

    private Nginx(Process process, string dir, string baseUrl) => (_process, _dir, BaseUrl) = (process, dir, baseUrl);

    public static Nginx Start(string first, string second)
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
            "-g", $"daemon off; pid {dir}/nginx.pid; error_log {dir}/error.log;"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        var nginx = new Nginx(Process.Start(start)!, dir, $"http://127.0.0.1:{port}");
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if (http.GetAsync(nginx.BaseUrl + "/health").Result.IsSuccessStatusCode) return nginx;
            }
            catch (AggregateException) { Thread.Sleep(100); }
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

/// <summary>Runs where a PostgreSQL server is given (the test command's PostgreSQL pass); skipped on SQLite.</summary>
public sealed class MultiInstanceFactAttribute : FactAttribute
{
    public MultiInstanceFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("OMNICONSOLE_TEST_POSTGRES") is not { Length: > 0 }) Skip = "Several instances share a server database; runs in the PostgreSQL pass.";
    }
}
