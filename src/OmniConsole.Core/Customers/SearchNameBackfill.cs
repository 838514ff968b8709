using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Customers;

/// <summary>
/// Fills <see cref="Customer.SearchFirstName"/> on customers written before the column existed. A migration cannot do
/// it: SQLite's lower() only folds ASCII, and names are Cyrillic. Runs at start; a no-op once every row has its key.
/// </summary>
public static class SearchNameBackfill
{
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
