using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;

namespace OmniConsole.Benchmarks;

/// <summary>
/// <c>search</c>: times the consultant's lookup box (CustomerSearch) on a generated database — a first name alone, a last
/// name, "first last" (the reversed order), and the first digits of a phone — as the page runs it, in process; and the
/// customer list's city drop-down.
/// Applies pending migrations first and fills the name keys of customers written before them (as the app does at start).
/// </summary>
internal static class SearchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var path = args.SkipWhile(a => a != "--db").Skip(1).FirstOrDefault();
        if (path is null || !File.Exists(path))
        {
            Console.Error.WriteLine("Usage: search --db <generated sqlite file> [--runs 300]");
            return 2;
        }
        var runs = int.Parse(args.SkipWhile(a => a != "--runs").Skip(1).FirstOrDefault() ?? "300", CultureInfo.InvariantCulture);

        var options = DbContextOptionsSetup.Standalone(DatabaseProvider.Sqlite, $"Data Source={path}");
        await using (var db = new OmniConsoleDbContext(options))
        {
            var started = Stopwatch.StartNew();
            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            await db.Database.MigrateAsync();
            var keyed = SearchNameBackfill.IsNeededAfter(pending) ? await SearchNameBackfill.RunAsync(db, CancellationToken.None) : 0;
            Console.WriteLine($"Migrations and name keys ({keyed:N0} customers keyed) in {started.Elapsed.TotalSeconds:0.0} s");
        }

        var normalizer = new IdentifierNormalizer(Options.Create(new OmniConsoleOptions()));
        // The lookups are audited as in the app (written before the answer, a group commit): the benchmark times both.
        var factory = new Microsoft.EntityFrameworkCore.Infrastructure.PooledDbContextFactory<OmniConsoleDbContext>(options);
        var search = new CustomerSearch(factory, new CustomerLookup(normalizer), normalizer, new Core.Audit.AuditLog(factory, TimeProvider.System, new Core.Data.WriteGate()));
        var queries = await SampleQueriesAsync(options, runs);

        foreach (var (kind, list) in queries)
        {
            var times = new List<double>();
            var found = 0;
            foreach (var (query, i) in list.Select((q, i) => (q, i)))
            {
                await using var db = new OmniConsoleDbContext(options);
                var clock = Stopwatch.StartNew();
                var hits = await search.SearchAsync(db, query, 20, "benchmark", CancellationToken.None);
                clock.Stop();
                if (i < 20) continue; // warm-up: JIT, query compilation
                times.Add(clock.Elapsed.TotalMilliseconds);
                if (hits.Count > 0) found++;
            }
            times.Sort();
            double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
            Console.WriteLine($"{kind,-22} n={times.Count}  p50 {P(0.5):0.0} ms  p95 {P(0.95):0.0} ms  max {times[^1]:0.0} ms  (found someone {found}/{times.Count})");
        }

        // The customer list's City drop-down reads the distinct cities of all customers once per opening.
        var cityTimes = new List<double>();
        var cities = 0;
        for (var i = 0; i < 6; i++)
        {
            await using var db = new OmniConsoleDbContext(options);
            var clock = Stopwatch.StartNew();
            cities = (await CustomerList.CitiesAsync(db, CancellationToken.None)).Count;
            if (i > 0) cityTimes.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"{"city list",-22} n={cityTimes.Count}  median {cityTimes.Order().ElementAt(cityTimes.Count / 2):0.0} ms  max {cityTimes.Max():0.0} ms  ({cities} cities)");
        return 0;
    }

    /// <summary>Queries made from random customers: their first name, last name, "first last", and their phone's first 7 digits.</summary>
    private static async Task<List<(string Kind, List<string> Queries)>> SampleQueriesAsync(DbContextOptions<OmniConsoleDbContext> options, int runs)
    {
        await using var db = new OmniConsoleDbContext(options);
        var maxId = await db.Customers.MaxAsync(c => c.Id);
        var random = new Random(17);
        var ids = Enumerable.Range(0, runs * 2).Select(_ => random.NextInt64(1, maxId + 1)).Distinct().ToList();
        var people = await db.Customers.AsNoTracking()
            .Where(c => ids.Contains(c.Id) && c.FirstName != null && c.LastName != null && c.MergedIntoId == null)
            .Select(c => new
            {
                c.FirstName, c.LastName,
                Phone = c.Identifiers.Where(i => i.Kind == IdentifierKind.Phone).OrderBy(i => i.Id).Select(i => i.Value).FirstOrDefault(),
            })
            .ToListAsync();
        people = people.Take(runs + 20).ToList();
        return
        [
            ("first name", people.Select(p => p.FirstName!).ToList()),
            ("last name", people.Select(p => p.LastName!).ToList()),
            ("first last (reversed)", people.Select(p => $"{p.FirstName} {p.LastName}").ToList()),
            // "+7 916 123": country code, operator and three digits, typed with spaces.
            ("phone prefix", people.Where(p => p.Phone is { Length: >= 9 }).Select(p => $"{p.Phone![..2]} {p.Phone[2..5]} {p.Phone[5..8]}").ToList()),
        ];
    }
}
