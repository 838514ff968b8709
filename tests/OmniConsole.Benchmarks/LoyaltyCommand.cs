using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;

namespace OmniConsole.Benchmarks;

/// <summary>
/// Loyalty figures on a generated database, in process through the app's services: with --setup, configures three tiers
/// (recomputing every customer's) and 20 active earning rules of mixed conditions — the set `measure --only ingestion`
/// then runs against; times rule previews over 30 days; and times generating 100,000 unique promo codes.
/// </summary>
internal static class LoyaltyCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var path = SegmentsCommand.Arg(args, "--db");
        if (path is null || !File.Exists(path))
        {
            Console.Error.WriteLine("Usage: loyalty --db <path> [--setup] [--runs 3] [--codes 100000]");
            return 2;
        }
        var runs = int.Parse(SegmentsCommand.Arg(args, "--runs") ?? "3", Inv);
        await using var services = SegmentsCommand.Services(BenchDatabase.Parse(path)!, logSql: false); // SQLite only: it fills tables with SQLite statements
        var factory = services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var clock = Stopwatch.StartNew();
            await db.Database.MigrateAsync();
            Console.WriteLine($"migrations applied in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        var rules = services.GetRequiredService<EarningRuleService>();
        if (args.Contains("--setup")) await SetUpAsync(services, rules);

        Console.WriteLine($"rule preview over {EarningRuleService.PreviewDays} days ({runs} runs each):");
        foreach (var (name, input) in PreviewRules(await SegmentIdAsync(services)))
        {
            var times = new List<double>();
            EarningRuleService.Preview? preview = null;
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                preview = await rules.PreviewAsync(input, CancellationToken.None);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"  {name,-44} {string.Join(" / ", times.Select(t => t.ToString("0", Inv))),-22} ms   {preview!.Accrued,14:N2} points to {preview.Customers,7:N0} customers on {preview.Purchases,7:N0} purchases");
        }

        var codes = int.Parse(SegmentsCommand.Arg(args, "--codes") ?? "100000", Inv);
        if (codes > 0)
        {
            var clock = Stopwatch.StartNew();
            var campaign = await services.GetRequiredService<PromoCampaignService>().CreateAsync(
                new PromoCampaignInput { Name = $"bench {DateTime.UtcNow:O}", Kind = "unique", Count = codes, DiscountPercent = 10 }, "bench", CancellationToken.None);
            Console.WriteLine($"{campaign.Count:N0} unique codes generated and saved in {clock.Elapsed.TotalSeconds:0.00} s");
        }
        return 0;
    }

    private static async Task<int> SegmentIdAsync(ServiceProvider services)
    {
        var segments = services.GetRequiredService<SegmentService>();
        var existing = (await segments.ListAsync(false, CancellationToken.None)).FirstOrDefault(s => s.Name == "bench: women in Moscow");
        if (existing is not null) return existing.Id;
        var definition = SegmentService.ParseOrThrow("""{"all":[{"attr":"gender","op":"eq","value":"female"},{"attr":"city","op":"eq","value":"Москва"}]}""");
        return (await segments.CreateAsync("bench: women in Moscow", null, definition, "bench", CancellationToken.None)).Segment.Id;
    }

    private static RuleInput Rule(string name, decimal percent, int priority, RuleConditionsInput conditions, bool exclusive = false) => new()
    {
        Name = name, Kind = "purchase", Status = "active", Percent = percent, Priority = priority, Exclusive = exclusive, Conditions = conditions,
        ActivationDays = 14, LifetimeDays = 365,
    };

    private static IEnumerable<(string Name, RuleInput Input)> PreviewRules(int segmentId) =>
    [
        ("whole paid amount, all channels", Rule("p1", 5, 0, new())),
        ("Ноутбуки lines in the app", Rule("p2", 10, 10, new() { Channels = ["app"], Categories = ["Ноутбуки"] })),
        ("brand Apple, check ≥ 20,000", Rule("p3", 3, 10, new() { Brands = ["Apple"], MinTotal = 20000 })),
        ("tier Gold in Moscow stores", Rule("p4", 2, 10, new() { Tiers = ["Gold"], StoreCodes = ["MSK-01", "MSK-02", "MSK-03", "MSK-04"] })),
        ("segment: women in Moscow", Rule("p5", 7, 10, new() { SegmentId = segmentId })),
    ];

    /// <summary>Three tiers and 20 active rules: channels, categories, brands, stores, tiers, minimum checks, windows, one segment.</summary>
    private static async Task SetUpAsync(ServiceProvider services, EarningRuleService rules)
    {
        var clock = Stopwatch.StartNew();
        await services.GetRequiredService<TierService>().SaveAsync(
            [new("Bronze", 0), new("Silver", 30_000), new("Gold", 100_000)], "bench", CancellationToken.None);
        Console.WriteLine($"tiers saved and every customer's tier recomputed in {clock.Elapsed.TotalSeconds:0.0} s");

        var segmentId = await SegmentIdAsync(services);
        var now = DateTimeOffset.UtcNow;
        string[] categories = ["Ноутбуки", "Смартфоны", "Телевизоры", "Наушники", "Платья", "Обувь", "Посуда", "Планшеты"];
        string[] channels = ["app", "online", "store"];
        var inputs = new List<RuleInput>();
        for (var i = 0; i < 8; i++)
            inputs.Add(Rule($"bench: x{i + 2} on {categories[i]} in {channels[i % 3]}", 5 + i, 20 + i, new() { Channels = [channels[i % 3]], Categories = [categories[i]] }));
        inputs.Add(Rule("bench: Apple brand", 3, 15, new() { Brands = ["Apple"] }));
        inputs.Add(Rule("bench: Samsung and Xiaomi", 2, 15, new() { Brands = ["Samsung", "Xiaomi"] }));
        inputs.Add(Rule("bench: Gold tier", 2, 12, new() { Tiers = ["Gold"] }));
        inputs.Add(Rule("bench: Silver tier in stores", 1, 12, new() { Tiers = ["Silver"], Channels = ["store"] }));
        inputs.Add(Rule("bench: big check", 1, 11, new() { MinTotal = 50_000 }));
        inputs.Add(Rule("bench: Moscow stores", 1, 11, new() { StoreCodes = ["MSK-01", "MSK-02", "MSK-03", "MSK-04"] }));
        inputs.Add(Rule("bench: this week", 1, 10, new() { ValidFrom = now.AddDays(-3), ValidTo = now.AddDays(4) }));
        inputs.Add(Rule("bench: expired window", 1, 10, new() { ValidFrom = now.AddDays(-30), ValidTo = now.AddDays(-20) }));
        inputs.Add(Rule("bench: women in Moscow", 2, 9, new() { SegmentId = segmentId }));
        inputs.Add(Rule("bench: app exclusive on Планшеты", 15, 30, new() { Channels = ["app"], Categories = ["Планшеты"] }, exclusive: true));
        inputs.Add(Rule("bench: share rule online", 0, 1, new() { Channels = ["online"] }));
        var existing = (await rules.ListAsync(CancellationToken.None)).Where(r => r.Status == "active").ToList();
        foreach (var input in inputs.Take(Math.Max(0, 20 - existing.Count)))
            await rules.CreateAsync(input, "bench", CancellationToken.None);
        Console.WriteLine($"{(await rules.ListAsync(CancellationToken.None)).Count(r => r.Status == "active")} active earning rules");
    }
}
