using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniConsole.Core;
using OmniConsole.Core.Exports;
using OmniConsole.Core.Segments;

namespace OmniConsole.Benchmarks;

/// <summary>
/// Times segment evaluation on a generated database, in process through the same services the app uses: each condition
/// family's count, a typical 3–5-condition definition, the members page and the builder's sample; and, with --export,
/// one export of a segment of about that many members, with the process's peak memory (VmHWM, reset before the export).
/// </summary>
internal static class SegmentsCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly (string Family, string Name, string Json)[] Definitions =
    [
        ("profile", "women in Moscow", """{"all":[{"attr":"gender","op":"eq","value":"female"},{"attr":"city","op":"eq","value":"Москва"}]}"""),
        ("profile", "age 25–45 with e-mail consent", """{"all":[{"attr":"age","op":"between","value":[25,45]},{"attr":"consent","op":"eq","value":"email"}]}"""),
        ("profile", "birthday within 7 days", """{"attr":"birthdayInDays","op":"lte","value":7}"""),
        ("purchases", "no purchase for 180 days", """{"attr":"lastPurchaseDaysAgo","op":"gte","value":180}"""),
        ("purchases", "2+ store purchases in 90 days", """{"attr":"purchases","channel":"store","withinDays":90,"op":"gte","value":2}"""),
        ("purchases", "spent ≥ 50,000 in 365 days", """{"attr":"spent","withinDays":365,"op":"gte","value":50000}"""),
        ("purchases", "bought Ноутбуки ever", """{"attr":"purchases","category":"Ноутбуки","op":"gte","value":1}"""),
        ("behaviour", "viewed Ноутбуки in 30 days", """{"attr":"events","type":"product_viewed","category":"Ноутбуки","withinDays":30,"op":"gte","value":1}"""),
        ("behaviour", "store visit in 14 days", """{"attr":"events","type":"store_visit","withinDays":14,"op":"gte","value":1}"""),
        ("behaviour", "3+ channels in 90 days", """{"attr":"channelsUsed","withinDays":90,"op":"gte","value":3}"""),
        ("behaviour", "cart abandoned 24 h+", """{"attr":"cartAbandonedHours","op":"gte","value":24}"""),
        ("loyalty", "active points ≥ 500", """{"attr":"bonusActive","op":"gte","value":500}"""),
        ("loyalty", "points expiring in 30 days", """{"attr":"bonusExpiring","withinDays":30,"op":"gt","value":0}"""),
        ("typical", "contract example (5 conditions)", """
            { "all": [ { "attr": "gender", "op": "eq", "value": "female" }, { "attr": "city", "op": "eq", "value": "Москва" },
                       { "attr": "consent", "op": "eq", "value": "email" },
                       { "attr": "events", "type": "product_viewed", "category": "Ноутбуки", "withinDays": 30, "op": "gte", "value": 1 },
                       { "not": { "attr": "purchases", "category": "Ноутбуки", "withinDays": 30, "op": "gte", "value": 1 } } ] }
            """),
        ("typical", "journey 6: viewed online, visited a store, no purchase in 14 days", """
            { "all": [ { "attr": "events", "type": "product_viewed", "channel": "online", "withinDays": 14, "op": "gte", "value": 1 },
                       { "attr": "events", "type": "store_visit", "withinDays": 14, "op": "gte", "value": 1 },
                       { "attr": "purchases", "withinDays": 14, "op": "eq", "value": 0 } ] }
            """),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var db = BenchDatabase.Parse(Arg(args, "--db"));
        if (db is null)
        {
            Console.Error.WriteLine("Usage: segments --db <sqlite file | PostgreSQL connection string> [--prewarm] [--runs 5] [--export N]");
            return 2;
        }
        if (args.Contains("--prewarm") && db.File is { } file) MeasureCommand.Prewarm(file);
        var runs = int.Parse(Arg(args, "--runs") ?? "5", Inv);
        await using var services = Services(db, args.Contains("--log-sql"));
        await using (var context = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OmniConsole.Core.Data.OmniConsoleDbContext>>().CreateDbContextAsync())
        {
            // The data set may predate the newest migrations (indexes): apply them, as the app does at start.
            var clock = Stopwatch.StartNew();
            context.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            await context.Database.MigrateAsync();
            Console.WriteLine($"Migrations applied in {clock.Elapsed.TotalSeconds:N1} s");
        }
        var segments = services.GetRequiredService<SegmentService>();

        if (Arg(args, "--export") is { } size) return await ExportAsync(services, segments, int.Parse(size, Inv));
        if (args.Contains("--reach-only"))
        {
            var clock = Stopwatch.StartNew();
            var reach = await segments.ReachAsync(SegmentService.ParseOrThrow(Definitions.First(d => d.Family == "typical").Json), CancellationToken.None);
            Console.WriteLine($"reach: {reach.Members} members, {string.Join(", ", reach.ByChannel.Select(p => $"{p.Key} {p.Value}"))} in {clock.ElapsedMilliseconds} ms");
            return 0;
        }

        Console.WriteLine($"{"family",-10} {"definition",-62} {"members",10} {"first ms",9} {"median",8} {"max",8}");
        foreach (var (family, name, json) in Definitions)
        {
            var definition = SegmentService.ParseOrThrow(json);
            var times = new List<double>();
            var count = 0;
            for (var i = 0; i <= runs; i++)
            {
                var clock = Stopwatch.StartNew();
                count = (await segments.CountAsync(definition, CancellationToken.None)).Members;
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            var warm = times.Skip(1).Order().ToList();
            Console.WriteLine($"{family,-10} {name,-62} {count,10:N0} {times[0],9:N0} {warm[warm.Count / 2],8:N0} {warm[^1],8:N0}");
        }

        var typical = SegmentService.ParseOrThrow(Definitions.First(d => d.Family == "typical").Json);
        foreach (var (what, run) in new (string, Func<Task>)[]
                 {
                     ("members page (100, first)", () => segments.MembersAsync(typical, null, 100, CancellationToken.None)),
                     ("builder sample (10)", () => segments.MembersAsync(typical, null, 10, CancellationToken.None)),
                     ("builder reach (count + 5 channels)", () => segments.ReachAsync(typical, CancellationToken.None)),
                 })
        {
            var times = new List<double>();
            for (var i = 0; i <= runs; i++)
            {
                var clock = Stopwatch.StartNew();
                await run();
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            var warm = times.Skip(1).Order().ToList();
            Console.WriteLine($"{"typical",-10} {what,-62} {"",10} {times[0],9:N0} {warm[warm.Count / 2],8:N0} {warm[^1],8:N0}");
        }
        return 0;
    }

    /// <summary>Exports a segment of the first N customers (by id) and reports time, rows, file size and peak memory.</summary>
    private static async Task<int> ExportAsync(ServiceProvider services, SegmentService segments, int size)
    {
        var exports = services.GetRequiredService<ExportService>();
        var definition = SegmentService.ParseOrThrow($$"""{"attr":"registeredDaysAgo","op":"gte","value":0}""");
        var count = (await segments.CountAsync(definition, CancellationToken.None)).Members;
        // Everyone, or the first N by registration: a definition the export has to evaluate like any other.
        var saved = await segments.CreateAsync($"bench export {size:N0}", null, size * 1.2 >= count ? definition
            : SegmentService.ParseOrThrow($$"""{"attr":"inSegment","op":"eq","value":{{(await FirstNAsync(segments, size)).Segment.Id}}}"""),
            "bench", CancellationToken.None);
        var job = (await exports.QueueAsync(saved.Segment.Id, "bench", fullContacts: true, CancellationToken.None))!;
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5"); // resets VmHWM: the peak below is the export's
        var before = PeakKb();
        // RSS counts the database pages SQLite maps into memory (mmap_size), which are the OS's file cache; the anonymous
        // part (heap, buffers) is what the export itself holds, so its peak is sampled apart.
        long peakAnon = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakAnon = Math.Max(peakAnon, StatusKb("RssAnon:"));
                try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var clock = Stopwatch.StartNew();
        await exports.RunAsync(job.Id, CancellationToken.None);
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        var done = await exports.GetAsync(job.Id, null, CancellationToken.None);
        Console.WriteLine($"export of segment #{saved.Segment.Id}: {done!.Status}, {done.RowsWritten:N0} of {done.TotalRows:N0} rows, " +
                          $"{(done.FileBytes ?? 0) / 1024.0 / 1024.0:N1} MB, {elapsed.TotalSeconds:N1} s, peak RSS {PeakKb() / 1024.0:N0} MB (before {before / 1024.0:N0} MB), " +
                          $"peak anonymous memory {peakAnon / 1024.0:N0} MB, managed heap now {GC.GetTotalMemory(false) / 1024.0 / 1024.0:N0} MB");
        File.Delete(exports.PathOf(job.Id));
        return done.Status == ExportStatus.Completed ? 0 : 1;
    }

    // About N customers (up to 20 % more), the ones registered first: registered at least so many days ago.
    private static async Task<SegmentService.Details> FirstNAsync(SegmentService segments, int n)
    {
        for (var days = 400; days <= 4000; days += 10)
        {
            var definition = SegmentService.ParseOrThrow($$"""{"attr":"registeredDaysAgo","op":"gte","value":{{days}}}""");
            if ((await segments.CountAsync(definition, CancellationToken.None)).Members <= n * 1.2)
                return await segments.CreateAsync($"registered {days}+ days ago", null, definition, "bench", CancellationToken.None);
        }
        throw new InvalidOperationException("Could not find a registration cut-off.");
    }

    private static long PeakKb() => StatusKb("VmHWM:");

    private static long StatusKb(string field) =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv)).FirstOrDefault();

    /// <summary>The app's Core services over the database, as the in-process benchmarks use them (a SQLite file read-only when asked: the data set is shared).</summary>
    internal static ServiceProvider Services(BenchDatabase db, bool logSql, bool readOnly = false, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = db.AppSettings().ToDictionary(s => s.Key, s => (string?)s.Value);
        foreach (var (key, value) in more ?? new Dictionary<string, string?>()) settings[key] = value;
        if (readOnly && db.IsSqlite) settings["ConnectionStrings:OmniConsole"] += ";Mode=ReadOnly";
        settings["OmniConsole:ExportFolder"] = Path.Combine(Path.GetTempPath(), "omni-bench-exports");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("OmniConsole.Core.Exports", LogLevel.Information)
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", logSql ? LogLevel.Information : LogLevel.Warning));
        services.AddOmniConsoleCore(configuration);
        return services.BuildServiceProvider();
    }

    internal static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
