using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Benchmarks;

/// <summary>
/// <c>campaigns</c>: starts the real web app (Release build, sandbox providers) on a generated database, creates a segment
/// of (nearly) everyone and an e-mail campaign to it over the management API, launches it, and while the campaign job
/// enrols, fills the outbox and drains it, times lookups by phone over HTTP and samples the progress every second from a
/// read-only connection (issue 15, Speed). <c>smtp</c>: sends messages through <see cref="SmtpEmailSender"/> to a local
/// SMTP server, over one instance's reused connection and over several instances at once.
/// </summary>
internal static class CampaignsCommand
{
    private const string Key = "bench-key";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private const string Subject = "Hi {{firstName}}";
    private const string Body = "<p>Hi {{firstName}}, you have {{bonusActive}} points. <a href=\"https://shop.example/x\">Shop</a></p>";

    public const string Usage = "campaigns --db <sqlite file | PostgreSQL connection string> [--prewarm] [--no-warm-up] [--experiment] [--lookup-pause-ms 10] [--timeout-minutes 20] [--sample-seconds 1] [--app-log <file>] [--csv <file>]";
    public const string SmtpUsage = "smtp [--messages 2000] [--parallel 4]";

    private sealed record Sample(double Seconds, string Status, bool EnrollmentDone, long Enrolled, long Outbox, long Sent, long Pending, long RssKb, double SampleMs);

    public static async Task<int> RunAsync(string[] args)
    {
        var db = BenchDatabase.Parse(Arg(args, "--db"));
        if (db is null)
        {
            Console.Error.WriteLine("Usage: " + Usage);
            return 2;
        }
        var pauseMs = int.Parse(Arg(args, "--lookup-pause-ms") ?? "10", Inv);
        var sampleMs = 1000 * int.Parse(Arg(args, "--sample-seconds") ?? "1", Inv);
        var timeout = TimeSpan.FromMinutes(double.Parse(Arg(args, "--timeout-minutes") ?? "20", Inv));
        if (args.Contains("--prewarm") && db.File is { } file) MeasureCommand.Prewarm(file);

        var phones = SamplePhones(db, 2000, seed: 23);
        Console.WriteLine($"Database {db}: {db.Count("""SELECT MAX("Id") FROM "Customers" """):N0} customers; lookups over {phones.Count:N0} sampled phones, " +
                          $"{(pauseMs > 0 ? $"{pauseMs} ms apart" : "back to back")}");

        var environment = new Dictionary<string, string>
        {
            ["OmniConsole__ApiKeys__0__Scopes__0"] = "channel",
            ["OmniConsole__ApiKeys__0__Scopes__1"] = "management",
            ["OmniConsole__Messaging__Email__Provider"] = "Sandbox",
            ["OmniConsole__Messaging__Sms__Provider"] = "Sandbox",
            ["OmniConsole__Messaging__Viber__Provider"] = "Sandbox",
            ["OmniConsole__Messaging__Telegram__Provider"] = "Sandbox",
            ["OmniConsole__Messaging__Push__Provider"] = "Sandbox",
        };
        var startClock = Stopwatch.StartNew();
        await using var app = await WebApp.StartAsync(db, Key, Arg(args, "--app-log"), environment);
        Console.WriteLine($"Web app up in {startClock.Elapsed.TotalSeconds:N1} s (pending migrations applied)");
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(30) }) { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("X-Api-Key", Key);

        // Baseline before anything runs: warm-up (JIT, query compilation), then the idle figure.
        foreach (var phone in phones.Take(100)) await LookupAsync(http, phone);
        // An app that has run a while has sent a campaign before: one small one (birthdays today) compiles the campaign
        // code and its queries, which a fresh process otherwise does during the measured launch's first seconds.
        if (!args.Contains("--no-warm-up")) await WarmUpAsync(http, db);
        var idle = new List<double>();
        foreach (var phone in phones.Take(600)) idle.Add(await LookupAsync(http, phone));
        Report("Lookup by phone, idle (before the launch)", idle);

        var clock = Stopwatch.StartNew();
        var segment = await PostAsync(http, "/api/v1/segments", new
        {
            name = $"Bench: everyone {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}", description = "campaigns benchmark",
            definition = new { attr = "registeredDaysAgo", op = "gte", value = 0 },
        });
        var segmentId = segment.GetProperty("segmentId").GetInt32();
        Console.WriteLine($"Segment {segmentId}: {segment.GetProperty("count").GetInt64():N0} members (saved in {clock.Elapsed.TotalSeconds:N1} s)");
        // --experiment: a 10 % control group and two variants of the e-mail (issue 27's launch figure).
        var experiment = args.Contains("--experiment");
        var campaign = await PostAsync(http, "/api/v1/campaigns", experiment
            ? new
            {
                name = $"Bench: A/B e-mail to everyone {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}", segmentId, controlGroupPercent = 10,
                steps = new object[]
                {
                    new { channel = "email", variants = new object[] { new { weight = 50, subject = Subject, body = Body }, new { weight = 50, subject = "Hello " + Subject, body = Body } } },
                },
            }
            : (object)new
            {
                name = $"Bench: e-mail to everyone {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}", segmentId,
                steps = new object[] { new { channel = "email", subject = Subject, body = Body } },
            });
        var campaignId = campaign.GetProperty("campaignId").GetString()!;
        var sentBefore = db.Count("""SELECT COUNT(*) FROM "OutboxMessages" WHERE "SentAtUtc" IS NOT NULL""");
        var pendingBefore = db.Count("""SELECT COUNT(*) FROM "OutboxMessages" WHERE "Status" = 'Pending'""");

        var samples = new List<Sample>();
        var lookups = new List<(double At, double Ms)>();
        using var stop = new CancellationTokenSource();
        var launched = Stopwatch.StartNew();
        var launch = await http.PostAsync($"/api/v1/campaigns/{campaignId}/launch", null);
        if (launch.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"launch: {(int)launch.StatusCode} {await launch.Content.ReadAsStringAsync()}");
        Console.WriteLine($"Campaign {campaignId} launched (202 in {launched.Elapsed.TotalMilliseconds:N0} ms)");

        var lookupTask = Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var ms = await LookupAsync(http, phones[i++ % phones.Count]);
                lock (lookups) lookups.Add((launched.Elapsed.TotalSeconds, ms));
                if (pauseMs > 0) await Task.Delay(pauseMs);
            }
        });

        using var sampler = db.OpenReader();
        Sample? last = null;
        double? enrolledAt = null, outboxAt = null, drainedAt = null, firstSentAt = null;
        while (launched.Elapsed < timeout)
        {
            // Every --sample-seconds: each sample counts a million rows (~150 ms of a core), which the lookups feel.
            await Task.Delay(Math.Max(0, sampleMs - (int)(launched.Elapsed.TotalMilliseconds % sampleMs)));
            var s = Read(sampler, campaignId, launched, sentBefore, pendingBefore, app.ProcessId);
            samples.Add(s);
            if (s.EnrollmentDone) enrolledAt ??= s.Seconds;
            if (s.Sent > 0) firstSentAt ??= s.Seconds;
            if (s.EnrollmentDone && s.Outbox >= s.Enrolled) outboxAt ??= s.Seconds;
            if (outboxAt is not null && s.Pending == 0) drainedAt ??= s.Seconds;
            if (samples.Count % Math.Max(1, 10_000 / sampleMs) == 1 || drainedAt is not null)
            {
                List<double> recent;
                lock (lookups) recent = lookups.Where(l => l.At > s.Seconds - 10).Select(l => l.Ms).ToList();
                Console.WriteLine($"  {s.Seconds,6:N0} s  {s.Status,-9} enrolled {s.Enrolled,9:N0}{(s.EnrollmentDone ? " (all)" : "      ")} outbox {s.Outbox,9:N0}  " +
                                  $"sent {s.Sent,9:N0}  pending {s.Pending,9:N0}  RSS {s.RssKb / 1024,5:N0} MB  sample {s.SampleMs,4:N0} ms  " +
                                  $"lookups (10 s) {Percentiles(recent)}");
            }
            last = s;
            if (drainedAt is not null) break;
        }
        await stop.CancelAsync();
        await lookupTask;

        Console.WriteLine();
        if (experiment)
            Console.WriteLine($"Control group {db.Count($"""SELECT COUNT(*) FROM "CampaignRecipients" WHERE "CampaignId" = '{campaignId}' AND "State" = 'Control'"""):N0}; " +
                              $"variant B {db.Count($"""SELECT COUNT(*) FROM "OutboxMessages" WHERE "CampaignId" = '{campaignId}' AND "Variant" = 1"""):N0} of the outbox");
        Console.WriteLine($"Audience {last!.Enrolled:N0}; {db.Count($"""SELECT COUNT(*) FROM "OutboxMessages" WHERE "CampaignId" = '{campaignId}' AND "Status" = 'Skipped'"""):N0} skipped " +
                          $"(no consent or no address), {last.Sent:N0} sent; status {db.Text($"""SELECT "Status" FROM "Campaigns" WHERE "Id" = '{campaignId}'""")}");
        Console.WriteLine($"Everyone enrolled after        {Seconds(enrolledAt)}");
        Console.WriteLine($"Outbox holds every row after   {Seconds(outboxAt)} (target < 120 s)");
        Console.WriteLine($"All handled (none pending) at  {Seconds(drainedAt)} (target < 300 s); first sent at {Seconds(firstSentAt)}");
        if (firstSentAt is { } f)
        {
            var end = drainedAt ?? last.Seconds;
            var handled = last.Outbox - last.Pending;
            Console.WriteLine($"Dispatcher: {handled:N0} messages handled in {end - f:N0} s = {handled / Math.Max(1, end - f):N0}/s ({last.Sent / Math.Max(1, end - f):N0} sent/s); " +
                              $"after the outbox was full: {(outboxAt is { } o && end > o + 1 ? $"{(handled - Handled(samples, o)) / (end - o):N0}/s" : "n/a")}");
        }
        List<(double At, double Ms)> all;
        lock (lookups) all = [.. lookups];
        var launchEnd = outboxAt ?? last.Seconds;
        Report($"Lookup by phone during the launch (0-{launchEnd:N0} s: enrolment, outbox)", all.Where(l => l.At <= launchEnd).Select(l => l.Ms).ToList());
        Report($"Lookup by phone during the drain ({launchEnd:N0}-{drainedAt ?? last.Seconds:N0} s)", all.Where(l => l.At > launchEnd).Select(l => l.Ms).ToList());
        Console.WriteLine($"App peak RSS (VmHWM) {PeakRssKb(app.ProcessId) / 1024:N0} MB; largest sampled RSS {samples.Max(s => s.RssKb) / 1024:N0} MB; " +
                          $"write-ahead log now {(File.Exists(db + "-wal") ? new FileInfo(db + "-wal").Length / 1024.0 / 1024.0 : 0):N0} MB");

        // The results page's figures at this size (per step and channel, conversions over the attribution window).
        if (drainedAt is not null)
        {
            var times = new List<double>();
            for (var run = 0; run < 3; run++)
            {
                var watch = Stopwatch.StartNew();
                using var results = await http.GetAsync($"/api/v1/campaigns/{campaignId}/results");
                results.EnsureSuccessStatusCode();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"Results (GET …/results) {string.Join(", ", times.Select(t => $"{t:N0} ms"))}");
        }

        if (Arg(args, "--csv") is { } csv)
        {
            File.WriteAllLines(csv, ["seconds,status,enrolled,outbox,sent,pending,rss_kb,sample_ms",
                .. samples.Select(s => string.Join(',', s.Seconds.ToString("F1", Inv), s.Status, s.Enrolled, s.Outbox, s.Sent, s.Pending, s.RssKb, s.SampleMs.ToString("F0", Inv)))]);
            Console.WriteLine($"Samples written to {csv}");
        }
        // Whatever did not finish must not go on in the next run's app on the same database.
        if (drainedAt is null)
        {
            var stopped = await http.PostAsync($"/api/v1/campaigns/{campaignId}/stop", null);
            Console.WriteLine($"Not finished in {timeout.TotalMinutes:N0} minutes: campaign stopped ({(int)stopped.StatusCode}).");
            return 1;
        }
        return 0;
    }

    private static long Handled(List<Sample> samples, double at) => samples.First(s => s.Seconds >= at) is var s ? s.Outbox - s.Pending : 0;

    private static string Seconds(double? s) => s is { } v ? $"{v,5:N0} s" : "   not reached";

    private static Sample Read(System.Data.Common.DbConnection c, string campaignId, Stopwatch launched, long sentBefore, long pendingBefore, int pid)
    {
        var clock = Stopwatch.StartNew();
        string status = "";
        var enrollmentDone = false;
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = """SELECT "Status", "EnrollmentDone" FROM "Campaigns" WHERE "Id" = @id""";
            var p = cmd.CreateParameter();
            (p.ParameterName, p.Value) = ("@id", campaignId);
            cmd.Parameters.Add(p);
            using var r = cmd.ExecuteReader();
            if (r.Read()) (status, enrollmentDone) = (r.GetString(0), r.GetBoolean(1));
        }
        // The control group is enrolled too but has no outbox row: the outbox is full when it holds one per treated recipient.
        var enrolled = BenchDatabase.Count(c, """SELECT COUNT(*) FROM "CampaignRecipients" WHERE "CampaignId" = @id AND "State" <> 'Control'""", ("@id", campaignId));
        var outbox = BenchDatabase.Count(c, """SELECT COUNT(*) FROM "OutboxMessages" WHERE "CampaignId" = @id""", ("@id", campaignId));
        // Both read an index alone (the cap index ends in SentAtUtc; the dispatcher's begins with Status), not the rows.
        var sent = BenchDatabase.Count(c, """SELECT COUNT(*) FROM "OutboxMessages" WHERE "SentAtUtc" IS NOT NULL""") - sentBefore;
        var pending = Math.Max(0, BenchDatabase.Count(c, """SELECT COUNT(*) FROM "OutboxMessages" WHERE "Status" = 'Pending'""") - pendingBefore);
        return new(launched.Elapsed.TotalSeconds, status, enrollmentDone, enrolled, outbox, sent, pending, RssKb(pid, "VmRSS"), clock.Elapsed.TotalMilliseconds);
    }

    private static long RssKb(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv);
        }
        catch (IOException) { return 0; }
    }

    private static long PeakRssKb(int pid) => RssKb(pid, "VmHWM");

    private static async Task<double> LookupAsync(HttpClient http, string phone)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync($"/api/v1/customers/lookup?phone={Uri.EscapeDataString(phone)}");
        await response.Content.ReadAsByteArrayAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"lookup phone={phone}: {response.StatusCode}");
        return ms;
    }

    private static async Task WarmUpAsync(HttpClient http, BenchDatabase db)
    {
        var watch = Stopwatch.StartNew();
        var segment = await PostAsync(http, "/api/v1/segments", new
        {
            name = $"Bench warm-up: birthdays today {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}", description = "campaigns benchmark warm-up",
            definition = new { attr = "birthdayInDays", op = "eq", value = 0 },
        });
        var campaign = await PostAsync(http, "/api/v1/campaigns", new
        {
            name = $"Bench warm-up {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}", segmentId = segment.GetProperty("segmentId").GetInt32(),
            steps = new object[] { new { channel = "email", subject = Subject, body = Body } },
        });
        var id = campaign.GetProperty("campaignId").GetString()!;
        (await http.PostAsync($"/api/v1/campaigns/{id}/launch", null)).EnsureSuccessStatusCode();
        while (db.Text($"""SELECT "Status" FROM "Campaigns" WHERE "Id" = '{id}'""") != "Completed" && watch.Elapsed < TimeSpan.FromMinutes(5))
            await Task.Delay(500);
        Console.WriteLine($"Warm-up campaign to {segment.GetProperty("count").GetInt64():N0} customers (birthdays today) done in {watch.Elapsed.TotalSeconds:N1} s");
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body)
    {
        var response = await http.PostAsJsonAsync(path, body, JsonSerializerOptions.Web);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// <c>smtp</c>: a local SMTP server (netDumbster) and N messages of the benchmark campaign's size through
    /// <see cref="SmtpEmailSender"/>: one instance (its one reused connection), then several instances at once.
    /// </summary>
    public static async Task<int> RunSmtpAsync(string[] args)
    {
        var n = int.Parse(Arg(args, "--messages") ?? "2000", Inv);
        var parallel = int.Parse(Arg(args, "--parallel") ?? "4", Inv);
        // netDumbster serves a connection inside its accept callback, and a second connection arriving meanwhile can stall
        // the first (four instances on one server time out after 30 s): each instance gets a server of its own, as a real
        // mail server serves connections side by side.
        // The servers read with blocking calls on pool threads of this process: enough threads that no sender waits for one.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 2 * parallel + 4), Math.Max(io, 2 * parallel + 4));
        var servers = Enumerable.Range(0, parallel).Select(_ =>
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return (Port: port, Server: netDumbster.smtp.SimpleSmtpServer.Start(port));
        }).ToList();
        IOptions<MessagingOptions> Options(int k) => Microsoft.Extensions.Options.Options.Create(new MessagingOptions
        {
            Email = new() { Provider = "Smtp", Host = "127.0.0.1", Port = servers[k].Port, From = "Shop <news@shop.example>" },
        });
        var links = new TrackingLinks(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider(),
            Microsoft.Extensions.Options.Options.Create(new MessagingOptions { PublicBaseUrl = "https://crm.shop.example/" }));
        OutgoingMessage Message(int i)
        {
            var html = EmailHtml.WithTracking(MessageTemplate.Render(Body, new Dictionary<string, string?>
            {
                [MessageTemplate.FirstName] = "Анна", [MessageTemplate.BonusActive] = "1 250",
            }, html: true), i, links);
            return new(i.ToString(Inv), Channel.Email, $"customer{i}@example.com", "Hi Анна", html, i, "bench", links.UnsubscribeUrl(i));
        }
        var messages = Enumerable.Range(1, n).Select(Message).ToList();
        Console.WriteLine($"Local SMTP servers (netDumbster) on ports {string.Join(", ", servers.Select(x => x.Port))}; {n:N0} messages of {messages[0].Body.Length:N0} characters of HTML each");

        // Warm-up: JIT, MailKit's first connection.
        await using (var warm = new SmtpEmailSender(Options(0)))
            for (var i = 0; i < 20; i++) Check(await warm.SendAsync(messages[i], CancellationToken.None));

        foreach (var senders in new[] { 1, parallel })
        {
            foreach (var x in servers) x.Server.ClearReceivedEmail();
            var instances = Enumerable.Range(0, senders).Select(k => new SmtpEmailSender(Options(k))).ToList();
            var latencies = new List<double>();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(instances.Select((sender, k) => Task.Run(async () =>
            {
                var mine = new List<double>();
                for (var i = k; i < n; i += senders)
                {
                    var one = Stopwatch.StartNew();
                    Check(await sender.SendAsync(messages[i], CancellationToken.None));
                    mine.Add(one.Elapsed.TotalMilliseconds);
                }
                lock (latencies) latencies.AddRange(mine);
            })));
            var seconds = clock.Elapsed.TotalSeconds;
            foreach (var sender in instances) await sender.DisposeAsync();
            var deadline = Stopwatch.StartNew();
            int Received() => servers.Sum(x => x.Server.ReceivedEmailCount);
            while (Received() < n && deadline.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
            Console.WriteLine($"SMTP, {senders} instance(s) at once: {n:N0} messages in {seconds:N2} s = {n / seconds:N0} messages/s; servers received {Received():N0}");
            Report("  one message, send to accepted", latencies);
        }
        foreach (var x in servers) x.Server.Stop();
        return 0;

        static void Check(SendResult result)
        {
            if (result.Outcome != SendOutcome.Accepted) throw new InvalidOperationException($"not accepted: {result.Outcome} {result.Error}");
        }
    }

    private static string Percentiles(List<double> ms)
    {
        if (ms.Count == 0) return "none";
        ms.Sort();
        double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
        return $"n={ms.Count} p50={P(0.5):N1} p95={P(0.95):N1} p99={P(0.99):N1} ms";
    }

    private static void Report(string what, List<double> ms)
    {
        if (ms.Count == 0)
        {
            Console.WriteLine($"{what}: none");
            return;
        }
        ms.Sort();
        double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
        Console.WriteLine($"{what}: n={ms.Count} p50={P(0.5):N2} ms p95={P(0.95):N2} ms p99={P(0.99):N2} ms max={ms[^1]:N2} ms");
    }

    private static List<string> SamplePhones(BenchDatabase db, int n, int seed)
    {
        using var c = db.OpenReader();
        var customers = BenchDatabase.Count(c, """SELECT MAX("Id") FROM "Customers" """);
        var random = new Random(seed);
        var phones = new List<string>();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """SELECT "Value" FROM "CustomerIdentifiers" WHERE "CustomerId" = @id AND "Kind" = 'Phone' LIMIT 1""";
        var id = cmd.CreateParameter();
        id.ParameterName = "@id";
        cmd.Parameters.Add(id);
        for (var tries = 0; phones.Count < n && tries < n * 10; tries++)
        {
            id.Value = random.NextInt64(1, customers + 1);
            if (cmd.ExecuteScalar() is string phone) phones.Add(phone);
        }
        return phones;
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
