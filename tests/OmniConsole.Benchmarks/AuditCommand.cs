using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Data;

namespace OmniConsole.Benchmarks;

/// <summary>
/// Fills the audit log up to --entries (default 10,000,000: staff card views, API reads, searches, sign-ins, exports
/// over two years, by 300 staff and 20 keys) and times /admin/audit's reads: each filter alone and combined, as the page
/// asks (50 rows, counted up to 10,000), first and again.
/// </summary>
internal static class AuditCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var path = SegmentsCommand.Arg(args, "--db");
        if (path is null || !File.Exists(path))
        {
            Console.Error.WriteLine("Usage: audit --db <path> [--entries 10000000] [--runs 3]");
            return 2;
        }
        var wanted = long.Parse(SegmentsCommand.Arg(args, "--entries") ?? "10000000", Inv);
        var runs = int.Parse(SegmentsCommand.Arg(args, "--runs") ?? "3", Inv);
        await using var services = SegmentsCommand.Services(BenchDatabase.Parse(path)!, logSql: false); // SQLite only: it fills tables with SQLite statements
        var factory = services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>();
        DateTime newest;
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            var have = await db.AuditEntries.LongCountAsync();
            newest = await db.CustomerEvents.MaxAsync(e => e.OccurredAtUtc);
            if (have < wanted) await FillAsync(path, wanted - have, newest);
        }

        var log = services.GetRequiredService<AuditLog>();
        var day = newest.Date.AddDays(-3);
        AuditLog.Filter[] filters =
        [
            new(),
            new(Actor: "staff17@shop.example"),
            new(Action: AuditAction.CustomerViewed),
            new(Action: AuditAction.Exported),
            new(CustomerId: 123_457),
            new(FromUtc: day, ToUtc: day.AddDays(1)),
            new(Actor: "staff17@shop.example", Action: AuditAction.CustomersSearched),
            new(Action: AuditAction.SignedIn, FromUtc: day.AddDays(-30), ToUtc: day),
            new(Actor: "api:pos-3", FromUtc: day.AddDays(-7), ToUtc: day),
        ];
        Console.WriteLine($"/admin/audit reads over {wanted:N0} entries (page of 50, counted up to 10,000), {runs} runs each:");
        foreach (var filter in filters)
        {
            var times = new List<double>();
            AuditLog.Page? page = null;
            for (var run = 0; run < runs; run++)
            {
                var clock = Stopwatch.StartNew();
                page = await log.ReadAsync(filter, 0, 50, CancellationToken.None);
                times.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
            }
            var last = await log.ReadAsync(filter, 9_950, 50, CancellationToken.None); // the last page the grid offers
            Console.WriteLine($"  {Describe(filter),-60} first {times[0],7:N1} ms, then {times.Skip(1).DefaultIfEmpty().Min(),7:N1}–{times.Skip(1).DefaultIfEmpty().Max(),7:N1} ms; " +
                              $"{page!.Total:N0}{(page.More ? "+" : "")} entries");
            _ = last;
        }
        return 0;
    }

    private static string Describe(AuditLog.Filter f) => string.Join(", ", new[]
    {
        f.Actor is null ? null : $"who={f.Actor}", f.Action is null ? null : $"what={f.Action}", f.CustomerId is null ? null : $"customer={f.CustomerId}",
        f.FromUtc is null ? null : $"{f.FromUtc:yyyy-MM-dd}–{f.ToUtc:yyyy-MM-dd}",
    }.OfType<string>()) is { Length: > 0 } s ? s : "no filter";

    /// <summary>Inserts in time order (as the app does), in one prepared statement per 100,000-row transaction.</summary>
    private static async Task FillAsync(string path, long count, DateTime newest)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(16);
        var span = TimeSpan.FromDays(730).Ticks;
        var start = newest.AddDays(-730);
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        for (long done = 0; done < count;)
        {
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO AuditEntries (AtUtc, Actor, Action, CustomerId, Details) VALUES ($at, $actor, $action, $customer, $details)";
            var (at, actor, action, customer, details) = (insert.Parameters.Add("$at", SqliteType.Text), insert.Parameters.Add("$actor", SqliteType.Text),
                insert.Parameters.Add("$action", SqliteType.Text), insert.Parameters.Add("$customer", SqliteType.Integer), insert.Parameters.Add("$details", SqliteType.Text));
            insert.Prepare();
            var batch = Math.Min(100_000, count - done);
            for (var i = 0; i < batch; i++, done++)
            {
                var when = start.AddTicks(span / count * done);
                var roll = random.Next(100);
                var (what, who, whom, note) = roll switch
                {
                    < 60 => (AuditAction.CustomerViewed, $"staff{random.Next(300)}@shop.example", (long?)random.Next(1, 1_000_000), (string?)null),
                    < 85 => (AuditAction.CustomerReadByApi, $"api:pos-{random.Next(20)}", random.Next(1, 1_000_000), "lookup"),
                    < 95 => (AuditAction.CustomersSearched, $"staff{random.Next(300)}@shop.example", null, "lookup: +7 916 12"),
                    < 99 => (AuditAction.SignedIn, $"staff{random.Next(300)}@shop.example", null, "10.0.0.1"),
                    _ => (AuditAction.Exported, $"staff{random.Next(300)}@shop.example", null, "Segment members"),
                };
                at.Value = when.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", Inv);
                (actor.Value, action.Value, customer.Value, details.Value) = (who, what.ToString(), (object?)whom ?? DBNull.Value, (object?)note ?? DBNull.Value);
                await insert.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
            Console.Write($"\r  {done:N0} of {count:N0} audit entries written ({clock.Elapsed.TotalSeconds:0} s)");
        }
        Console.WriteLine();
    }
}
