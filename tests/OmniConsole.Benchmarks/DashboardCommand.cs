using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Dashboard;

namespace OmniConsole.Benchmarks;

/// <summary>
/// Times the dashboard's figures (<see cref="DashboardFigures"/>) in process for each period: the first computation in a
/// fresh process (cold), later ones (warm), and what the page reads once the figures are kept. The database is opened
/// read-only (no migrations, no writes), so it can be the shared data set.
/// </summary>
internal static class DashboardCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var db = BenchDatabase.Parse(SegmentsCommand.Arg(args, "--db"));
        if (db is null)
        {
            Console.Error.WriteLine("Usage: dashboard --db <sqlite file | PostgreSQL connection string> [--runs 3] [--prewarm] [--log-sql]");
            return 2;
        }
        if (args.Contains("--prewarm") && db.File is { } file) MeasureCommand.Prewarm(file);
        var runs = int.Parse(SegmentsCommand.Arg(args, "--runs") ?? "3", Inv);
        await using var services = SegmentsCommand.Services(db, args.Contains("--log-sql"), readOnly: true);
        var figures = services.GetRequiredService<DashboardFigures>();
        var periods = Enum.GetValues<DashboardPeriod>();

        // Cold: each period's first computation in this process (the first also builds EF's model and compiles queries).
        foreach (var period in periods)
        {
            var s = await figures.RefreshAsync(period, CancellationToken.None);
            Console.WriteLine($"{period,-13} first: {s.Took.TotalMilliseconds,8:N0} ms — {Describe(s)}");
        }
        foreach (var period in periods)
        {
            var warm = new List<double>();
            for (var run = 0; run < runs; run++)
                warm.Add((await figures.RefreshAsync(period, CancellationToken.None)).Took.TotalMilliseconds);
            var clock = Stopwatch.StartNew();
            await figures.GetAsync(period, CancellationToken.None);
            var kept = clock.Elapsed.TotalMilliseconds;
            Console.WriteLine($"{period,-13} warm: {string.Join(" / ", warm.Select(ms => ms.ToString("N0", Inv)))} ms (median {warm.Order().ElementAt(warm.Count / 2):N0}); " +
                              $"kept figures read by the page: {kept:N3} ms");
        }
        return 0;
    }

    private static string Describe(DashboardSnapshot s) =>
        $"{s.Customers.Total:N0} customers, {s.Customers.Active:N0} active, {s.Customers.New:N0} new; {s.Total.Orders:N0} purchases, " +
        $"net {s.Total.Net.Major:N2}; omnichannel {s.Omnichannel.Customers:N0} buyers (avg {s.Omnichannel.AverageSpend.Major:N2}) vs single " +
        $"{s.SingleChannel.Customers:N0} (avg {s.SingleChannel.AverageSpend.Major:N2}); liability {(s.Liability.Active + s.Liability.Pending).Major:N2}; " +
        $"{s.SalesBuckets.Count} buckets, {s.TopStores.Count} stores";
}
