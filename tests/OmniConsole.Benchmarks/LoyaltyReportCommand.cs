using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniConsole.Core;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Benchmarks;

/// <summary>
/// Times the loyalty report on /reports (liability, 12 months by month and channel, top rules) in process through the
/// app's service. The database is opened read-only: nothing is migrated or written, so it can be the shared data set.
/// </summary>
internal static class LoyaltyReportCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var db = BenchDatabase.Parse(Arg(args, "--db"));
        if (db is null)
        {
            Console.Error.WriteLine("Usage: loyalty-report --db <sqlite file | PostgreSQL connection string> [--runs 3] [--prewarm] [--log-sql]");
            return 2;
        }
        if (args.Contains("--prewarm") && db.File is { } file) MeasureCommand.Prewarm(file);
        var runs = int.Parse(Arg(args, "--runs") ?? "3", Inv);
        await using var services = SegmentsCommand.Services(db, args.Contains("--log-sql"), readOnly: true);
        var report = services.GetRequiredService<LoyaltyReport>();

        for (var run = 1; run <= runs; run++)
        {
            var clock = Stopwatch.StartNew();
            var r = await report.BuildAsync(CancellationToken.None);
            var ms = clock.Elapsed.TotalMilliseconds;
            Console.WriteLine($"run {run}: {ms,8:N0} ms — liability active {r.Active.Major:N2} + pending {r.Pending.Major:N2}; " +
                              $"12 months accrued {r.ByMonth.Sum(m => m.Movement.Accrued.Major):N2}, redeemed {r.ByMonth.Sum(m => m.Movement.Redeemed.Major):N2}, " +
                              $"expired {r.ByMonth.Sum(m => m.Movement.Expired.Major):N2}; {r.ByChannel.Count} channels, {r.TopRules.Count} rules");
        }
        return 0;
    }

    private static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
