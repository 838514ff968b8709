using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Data;
using OmniConsole.Core.Segments;

namespace OmniConsole.Benchmarks;

/// <summary>
/// <c>segment-watch</c>: what a segment trigger costs (issue 27). For watched segments of a few sizes, in process
/// through the app's services: a segmentEntered campaign is launched, and its passes are timed — the first (the
/// snapshot of who is in it at launch), then passes with nothing changed (what every minute costs while it runs).
/// The campaigns are stopped at the end and their snapshots removed by the next pass; with --keep the first stays
/// running, so a `measure` run after it ingests while the app's campaign job watches it (stop it by launching this
/// command again without --keep: it stops every running "Bench watch" campaign first).
/// </summary>
internal static class SegmentWatchCommand
{
    public const string Usage = "segment-watch --db <sqlite file | PostgreSQL connection string> [--passes 3] [--keep]";

    private static readonly (string Name, string Json)[] Watched =
    [
        ("active points ≥ 500", """{"attr":"bonusActive","op":"gte","value":500}"""),
        ("women in Moscow", """{"all":[{"attr":"gender","op":"eq","value":"female"},{"attr":"city","op":"eq","value":"Москва"}]}"""),
        ("no purchase for 180 days", """{"attr":"lastPurchaseDaysAgo","op":"gte","value":180}"""),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var db = BenchDatabase.Parse(SegmentsCommand.Arg(args, "--db"));
        if (db is null)
        {
            Console.Error.WriteLine("Usage: " + Usage);
            return 2;
        }
        var passes = int.Parse(SegmentsCommand.Arg(args, "--passes") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        await using var services = SegmentsCommand.Services(db, logSql: false, more: new Dictionary<string, string?>
        {
            ["OmniConsole:Messaging:Email:Provider"] = "Sandbox",
        });
        await using (var context = await services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync())
        {
            context.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            await context.Database.MigrateAsync();
        }
        var segments = services.GetRequiredService<SegmentService>();
        var campaigns = services.GetRequiredService<CampaignService>();
        var triggers = services.GetRequiredService<SegmentTriggers>();
        foreach (var kept in (await campaigns.ListAsync(CancellationToken.None)).Where(c => c.Name.StartsWith("Bench watch:", StringComparison.Ordinal) && c.Status == CampaignStatus.Running))
            await campaigns.StopAsync(kept.CampaignId, "bench", CancellationToken.None);
        var keep = args.Contains("--keep");
        Console.WriteLine($"{"watched segment",-28} {"members",9} {"first pass (snapshot)",22} {"later passes (nothing changed)",32}");
        foreach (var (name, json) in Watched)
        {
            var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            var segment = await segments.CreateAsync($"Bench watch: {name} {stamp}", null, SegmentService.ParseOrThrow(json), "bench", CancellationToken.None);
            var campaign = await campaigns.CreateAsync(new CampaignInput
            {
                Name = $"Bench watch: {name} {stamp}", SegmentId = segment.Segment.Id,
                Trigger = new CampaignTrigger { Kind = "segmentEntered", SegmentId = segment.Segment.Id },
                Steps = [new CampaignStep { Channel = "email", Subject = "Hi {{firstName}}", Body = "<p>Hi</p>" }],
            }, "bench", CancellationToken.None);
            await campaigns.LaunchAsync(campaign.CampaignId, "bench", CancellationToken.None);
            var times = new List<double>();
            for (var pass = 0; pass < passes + 1; pass++)
            {
                var clock = Stopwatch.StartNew();
                await triggers.RunOnceAsync(CancellationToken.None);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            int members;
            await using (var context = await services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync())
                members = await context.SegmentWatches.Where(w => w.CampaignId == campaign.CampaignId).Select(w => w.Members).FirstAsync();
            if (keep) { Console.WriteLine($"Kept running: {campaign.CampaignId}"); keep = false; }
            else await campaigns.StopAsync(campaign.CampaignId, "bench", CancellationToken.None);
            Console.WriteLine($"{name,-28} {members,9:N0} {times[0],19:N0} ms {string.Join(", ", times.Skip(1).Select(t => $"{t:N0} ms")),32}");
        }
        var cleanup = Stopwatch.StartNew();
        await triggers.RunOnceAsync(CancellationToken.None); // removes the stopped campaigns' snapshots
        Console.WriteLine($"Snapshots of the stopped campaigns removed in {cleanup.Elapsed.TotalMilliseconds:N0} ms");
        return 0;
    }
}
