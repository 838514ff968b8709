using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace OmniConsole.Benchmarks;

/// <summary>
/// <c>measure</c>: starts the real web app (Kestrel, Release build) on a generated database and times, over HTTP,
/// what issue 3 promises: ingestion in batches of 500, lookups, the timeline's first page and the 360° page render.
/// </summary>
internal static class MeasureCommand
{
    private const string Key = "bench-key";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var db = BenchDatabase.Parse(Arg(args, "--db"));
        if (db is null)
        {
            Console.Error.WriteLine("Usage: measure --db <generated sqlite file | PostgreSQL connection string> [--batches 200] [--warmup-batches 20] [--clients 1] [--heavy-events 10000] [--traffic-customers 20000] [--prewarm] [--app-log <file>] [--only ingestion] [--instances 1]");
            return 2;
        }
        var batches = int.Parse(Arg(args, "--batches") ?? "200", Inv);
        var warmupBatches = int.Parse(Arg(args, "--warmup-batches") ?? "20", Inv);
        var heavyEvents = int.Parse(Arg(args, "--heavy-events") ?? "10000", Inv);
        if (args.Contains("--prewarm") && db.File is { } file) Prewarm(file);
        var sample = Sample(db, 600, seed: 7);
        // Channel traffic comes from many customers, not only the ones the read timings ask for.
        var traffic = Sample(db, int.Parse(Arg(args, "--traffic-customers") ?? "20000", Inv), seed: 11);
        Console.WriteLine($"Database {db}: {sample.Customers:N0} customers, {sample.Events:N0} events; " +
                          $"reads sample {sample.Rows.Count} customers, ingestion traffic {traffic.Rows.Count:N0}");

        await using var app = await WebApp.StartAsync(db, Key, Arg(args, "--app-log"));
        using var http = Client(app);
        // More web instances on the same database (docs/operations.md): ingestion's clients are spread over all of them.
        var more = new List<WebApp>();
        for (var i = 1; i < int.Parse(Arg(args, "--instances") ?? "1", Inv); i++)
            more.Add(await WebApp.StartAsync(db, Key, environment: new Dictionary<string, string> { ["OmniConsole__Role"] = "Web" }));
        var instances = new[] { http }.Concat(more.Select(Client)).ToList();

        // Warm up: JIT, EF query compilation, SQLite page cache for the paths we time.
        foreach (var row in sample.Rows.Take(50))
        {
            await http.GetAsync($"/api/v1/customers/lookup?phone={Uri.EscapeDataString(row.Phone)}");
            await http.GetAsync($"/api/v1/customers/{row.Id}/timeline");
        }

        var clients = int.Parse(Arg(args, "--clients") ?? "1", Inv);
        try { await Ingestion(instances, traffic, warmupBatches, batches, clients, heavyEvents, db); }
        finally
        {
            foreach (var other in more) await other.DisposeAsync();
        }
        if (Arg(args, "--only") == "ingestion") return 0;
        await Lookups(http, sample);
        await Timelines(http, sample, db);
        await CardRender(app.BaseUrl, db);
        return 0;
    }

    /// <summary>
    /// Batches of 500 sent one after another by each of <paramref name="clients"/> senders (1: one busy channel; more:
    /// several channel systems at once). The first <paramref name="warmupBatches"/> (JIT, EF query compilation, the
    /// page cache of a freshly started app) are timed apart from the sustained run.
    /// </summary>
    private static HttpClient Client(WebApp app)
    {
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return http;
    }

    /// <param name="instances">one client per web instance; the senders take them in turn</param>
    private static async Task Ingestion(IReadOnlyList<HttpClient> instances, SampleSet sample, int warmupBatches, int batches, int clients, int heavyEvents, BenchDatabase db)
    {
        const int batchSize = 500;
        // Only this run's events: the app's own jobs (bonus activation items) may add some meanwhile.
        const string countOurs = """SELECT COUNT(*) FROM "CustomerEvents" WHERE "Source" = 'bench'""";
        var before = db.Count(countOurs);
        var heavyPhone = "+7900" + Random.Shared.Next(1_000_000, 9_999_999).ToString(Inv);
        var generator = new TrafficGenerator(sample.Rows, heavyPhone, heavyEvents);
        // Bodies are serialised before the clock starts: what is timed is the app, not this process writing JSON.
        var all = generator.Events((warmupBatches + batches) * batchSize).Chunk(batchSize)
            .Select(chunk => (Count: chunk.Length, Body: JsonSerializer.SerializeToUtf8Bytes(new { events = chunk }, JsonSerializerOptions.Web))).ToList();
        var accepted = 0;

        async Task<List<double>> SendAsync(IEnumerable<(int Count, byte[] Body)> chunks)
        {
            var queue = new System.Collections.Concurrent.ConcurrentQueue<(int Count, byte[] Body)>(chunks);
            var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(() => SendQueueAsync(queue, instances[i % instances.Count]))));
            return perClient.SelectMany(l => l).ToList();
        }

        async Task<List<double>> SendQueueAsync(System.Collections.Concurrent.ConcurrentQueue<(int Count, byte[] Body)> queue, HttpClient http)
        {
            var latencies = new List<double>();
            while (queue.TryDequeue(out var chunk))
            {
                var clock = Stopwatch.StartNew();
                using var content = new ByteArrayContent(chunk.Body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                var response = await http.PostAsync("/api/v1/events", content);
                response.EnsureSuccessStatusCode();
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                foreach (var r in body.GetProperty("results").EnumerateArray())
                    if (r.GetProperty("status").GetString() == "accepted") Interlocked.Increment(ref accepted);
                    else Console.WriteLine($"  not accepted: {r}");
            }
            return latencies;
        }

        var warmClock = Stopwatch.StartNew();
        await SendAsync(all.Take(warmupBatches));
        var warmSeconds = warmClock.Elapsed.TotalSeconds;
        var runClock = Stopwatch.StartNew();
        var latencies = await SendAsync(all.Skip(warmupBatches));
        var seconds = runClock.Elapsed.TotalSeconds;
        var after = db.Count(countOurs);
        var sent = all.Sum(c => c.Count);

        if (warmupBatches > 0)
            Console.WriteLine($"Ingestion warm-up: {warmupBatches * batchSize:N0} events in {warmupBatches} batches in {warmSeconds:N1} s = {warmupBatches * batchSize / warmSeconds:N0} events/s");
        Console.WriteLine($"Ingestion sustained: {batches * batchSize:N0} events in {batches} batches of {batchSize} from {clients} client(s) to {instances.Count} instance(s) in {seconds:N1} s = {batches * batchSize / seconds:N0} events/s");
        Report("  batch of 500, request to response", latencies);
        Console.WriteLine($"  accepted {accepted:N0} of {sent:N0}; rows added {after - before:N0} (nothing lost: {after - before == sent}); " +
                          (db.File is { } file ? $"write-ahead log now {FileLength(file + "-wal") / 1024.0 / 1024.0:N0} MB" : $"database now {db.SizeBytes() / 1024.0 / 1024.0:N0} MB"));
        Console.WriteLine($"  heavy customer {heavyPhone}: {heavyEvents:N0} of them");
        HeavyPhone = heavyPhone;
    }

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>Reads the database once, so the run starts as on a server that has been up a while (its file in the OS page cache).</summary>
    internal static void Prewarm(string db)
    {
        var clock = Stopwatch.StartNew();
        var buffer = new byte[4 << 20];
        long total = 0;
        foreach (var path in new[] { db, db + "-wal" }.Where(File.Exists))
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            int read;
            while ((read = file.Read(buffer)) > 0) total += read;
        }
        Console.WriteLine($"Prewarm: read {total / 1024.0 / 1024.0 / 1024.0:N1} GB in {clock.Elapsed.TotalSeconds:N1} s");
    }

    private static string HeavyPhone = "";

    private static async Task Lookups(HttpClient http, SampleSet sample)
    {
        foreach (var (kind, pick) in new (string, Func<SampleRow, string?>)[] { ("phone", r => r.Phone), ("email", r => r.Email), ("cardNumber", r => r.Card) })
        {
            var times = new List<double>();
            foreach (var row in sample.Rows)
            {
                if (pick(row) is not { } value) continue;
                var clock = Stopwatch.StartNew();
                var response = await http.GetAsync($"/api/v1/customers/lookup?{kind}={Uri.EscapeDataString(value)}");
                times.Add(clock.Elapsed.TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"lookup {kind}={value}: {response.StatusCode}");
            }
            Report($"Lookup by {kind}", times);
        }
    }

    private static async Task Timelines(HttpClient http, SampleSet sample, BenchDatabase db)
    {
        var heavyId = HeavyId(db);
        var times = new List<double>();
        var heavyTimes = new List<double>();
        foreach (var row in sample.Rows)
        {
            var clock = Stopwatch.StartNew();
            (await http.GetAsync($"/api/v1/customers/{row.Id}/timeline?limit=50")).EnsureSuccessStatusCode();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        for (var i = 0; i < 100; i++)
        {
            var clock = Stopwatch.StartNew();
            (await http.GetAsync($"/api/v1/customers/{heavyId}/timeline?limit=50")).EnsureSuccessStatusCode();
            heavyTimes.Add(clock.Elapsed.TotalMilliseconds);
        }
        Report("Timeline first page (50), sampled customers", times);
        Report($"Timeline first page (50), customer #{heavyId} with {db.Count($"""SELECT COUNT(*) FROM "CustomerEvents" WHERE "CustomerId" = {heavyId}"""):N0} events", heavyTimes);
    }

    private static async Task CardRender(string baseUrl, BenchDatabase db)
    {
        var heavyId = HeavyId(db);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var form = await browser.GetStringAsync("/Account/Login");
        var input = Regex.Match(form, "<input[^>]*__RequestVerificationToken[^>]*>").Value;
        var token = Regex.Match(input, "value=\"([^\"]+)\"").Groups[1].Value;
        var login = await browser.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["_handler"] = "login",
            ["Input.Email"] = "admin@omniconsole.demo", ["Input.Password"] = "Demo#2026omni",
        }));
        if (login.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException("Sign-in failed: " + login.StatusCode);

        // The prerendered page holds no personal data (the card is read once the page is live, over its circuit), so
        // what the live card reads is timed in process: header, figures, interests, the timeline's and the ledger's first pages.
        await using (var services = SegmentsCommand.Services(db, logSql: false))
        {
            var factory = services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OmniConsole.Core.Data.OmniConsoleDbContext>>();
            var ledger = services.GetRequiredService<OmniConsole.Core.Loyalty.CustomerLedger>();
            var times = new List<double>();
            for (var i = 0; i < 30; i++)
            {
                var clock = Stopwatch.StartNew();
                await using (var context = await factory.CreateDbContextAsync())
                {
                    var now = DateTime.UtcNow;
                    await OmniConsole.Core.Customers.CustomerCard.HeaderAsync(context, heavyId, now, CancellationToken.None);
                    await OmniConsole.Core.Customers.CustomerCard.KpisAsync(context, heavyId, CancellationToken.None);
                    await OmniConsole.Core.Customers.CustomerCard.InterestsAsync(context, heavyId, now, CancellationToken.None);
                    await OmniConsole.Core.Timeline.TimelineQuery.ReadAsync(context, heavyId, 50, null, new OmniConsole.Core.Timeline.TimelineQuery.Filter(), CancellationToken.None);
                }
                await ledger.ReadAsync(heavyId, 0, 20, CancellationToken.None);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            Report($"360° card data (what the live page reads), customer #{heavyId} ({db.Count($"""SELECT COUNT(*) FROM "CustomerEvents" WHERE "CustomerId" = {heavyId}"""):N0} events)", times.Skip(3).ToList());
        }
        var card = await browser.GetStringAsync($"/customers/{heavyId}");
        if (!card.Contains("mud-progress-linear")) throw new InvalidOperationException("The card's first response should be the loading bar, without personal data.");

        var list = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var clock = Stopwatch.StartNew();
            (await browser.GetAsync("/customers")).EnsureSuccessStatusCode();
            list.Add(clock.Elapsed.TotalMilliseconds);
        }
        Report("/customers page server render (first page, total count)", list.Skip(2).ToList());
    }

    private static long HeavyId(BenchDatabase db) =>
        db.Count($"""SELECT "CustomerId" FROM "CustomerIdentifiers" WHERE "Kind" = 'Phone' AND "Value" = '{HeavyPhone}'""");

    private static void Report(string what, List<double> ms)
    {
        ms.Sort();
        double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
        Console.WriteLine($"{what}: n={ms.Count} p50={P(0.5):N2} ms p95={P(0.95):N2} ms p99={P(0.99):N2} ms max={ms[^1]:N2} ms");
    }

    internal sealed record SampleRow(long Id, string Phone, string? Email, string? Card);
    private sealed record SampleSet(long Customers, long Events, List<SampleRow> Rows);

    private static SampleSet Sample(BenchDatabase db, int n, int seed)
    {
        using var c = db.OpenReader();
        var customers = db.Count("""SELECT MAX("Id") FROM "Customers" """);
        var events = db.Count("""SELECT MAX("Id") FROM "CustomerEvents" """);
        var rows = new List<SampleRow>();
        var random = new Random(seed);
        while (rows.Count < n)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT i."CustomerId", i."Kind", i."Value" FROM "CustomerIdentifiers" i
                WHERE i."CustomerId" = @id AND i."Kind" IN ('Phone','Email','Card')
                """;
            var id = random.NextInt64(1, customers + 1);
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = "@id";
            parameter.Value = id;
            cmd.Parameters.Add(parameter);
            string? phone = null, email = null, card = null;
            using (var r = cmd.ExecuteReader())
                while (r.Read())
                    switch (r.GetString(1))
                    {
                        case "Phone": phone ??= r.GetString(2); break;
                        case "Email": email ??= r.GetString(2); break;
                        case "Card": card ??= r.GetString(2); break;
                    }
            if (phone is not null) rows.Add(new SampleRow(id, phone, email, card));
        }
        return new SampleSet(customers, events, rows);
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
