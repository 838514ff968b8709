using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Customers;

/// <summary>
/// Fills <see cref="Customer.SearchFirstName"/> on customers written before the column existed. A migration cannot do
/// it: SQLite's lower() only folds ASCII, and names are Cyrillic. Runs at start right after the migration that added the
/// column (finding unkeyed rows later would read the whole table at every start: the name index skips empty keys).
/// </summary>
public static class SearchNameBackfill
{
    public const string Migration = "LookupByNameAndPhonePrefix";

    /// <summary>Whether the migrations just applied include the one that added the column.</summary>
    public static bool IsNeededAfter(IEnumerable<string> appliedMigrations) => appliedMigrations.Any(m => m.EndsWith("_" + Migration, StringComparison.Ordinal));

    public static async Task<int> RunAsync(OmniConsoleDbContext db, CancellationToken ct)
    {
        var done = 0;
        var after = 0L;
        while (true)
        {
            var batch = await db.Customers.AsNoTracking()
                .Where(c => c.SearchFirstName == null && c.FirstName != null && c.Id > after)
                .OrderBy(c => c.Id).Select(c => new { c.Id, c.FirstName }).Take(5000).ToListAsync(ct);
            if (batch.Count == 0) return done;
            after = batch[^1].Id;
            // Whitespace-only first names have no key and stay null.
            batch.RemoveAll(c => Customer.NameKey(c.FirstName).Length == 0);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var c in batch)
            {
                var key = Customer.NameKey(c.FirstName);
                await db.Customers.Where(x => x.Id == c.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SearchFirstName, key), ct);
            }
            await tx.CommitAsync(ct);
            done += batch.Count;
        }
    }
}
