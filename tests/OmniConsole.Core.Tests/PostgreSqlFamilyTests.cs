using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Orders;
using OmniConsole.Tests.Shared;

namespace OmniConsole.Core.Tests;

/// <summary>What PostgreSQL's family does its own way: sessions without JIT, rows by COPY with keys from the table's own sequence, rows changed alike saved by one statement.</summary>
public sealed class PostgreSqlFamilyTests : IDisposable
{
    private readonly TestDatabase _db = new();

    [PostgreSqlFact]
    public async Task SessionsRunWithoutJit()
    {
        await using var db = _db.Open();
        Assert.Equal("off", await db.Database.SqlQueryRaw<string>("SELECT current_setting('jit') AS \"Value\"").SingleAsync());
    }

    [PostgreSqlFact]
    public async Task RowsCopiedWithReservedKeysLeaveTheSequenceAheadOfThem()
    {
        var now = _db.Clock.GetUtcNow().UtcDateTime;
        await using var db = _db.Open();
        var customer = new Customer { RegisteredAtUtc = now };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();

        var copied = Enumerable.Range(1, 3).Select(i => new Order
        {
            Customer = customer, Source = "till", OrderNumber = $"copied-{i}", Status = OrderStatus.Purchased, Channel = Channel.Store,
            OccurredAtUtc = now, TotalMinor = i * 100,
        }).ToList();
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await db.Family().InsertRowsAsync(db, copied, o => o.CustomerId = o.Customer!.Id, (o, id) => o.Id = id, default);
            await tx.CommitAsync();
        }
        Assert.All(copied, o => Assert.True(o.Id > 0));
        Assert.Equal(3, copied.Select(o => o.Id).Distinct().Count());

        // EF's next insert takes the sequence's next key: no collision with the copied rows.
        await using var again = _db.Open();
        var later = new Order { CustomerId = customer.Id, Source = "till", OrderNumber = "by-ef", Status = OrderStatus.Purchased, Channel = Channel.Store, OccurredAtUtc = now };
        again.Orders.Add(later);
        await again.SaveChangesAsync();
        Assert.True(later.Id > copied.Max(o => o.Id));
        Assert.Equal([100L, 200L, 300L, 0L], await again.Orders.OrderBy(o => o.Id).Select(o => o.TotalMinor).ToListAsync());
    }

    [PostgreSqlFact]
    public async Task RowsChangedAlikeAreSavedTogetherWithTheirTokensChecked()
    {
        var now = _db.Clock.GetUtcNow().UtcDateTime;
        await using (var seed = _db.Open())
        {
            seed.Customers.AddRange(Enumerable.Range(1, 12).Select(i => new Customer { RegisteredAtUtc = now, FirstName = $"Имя {i}", OpenCartAtUtc = now }));
            await seed.SaveChangesAsync();
        }

        await using (var db = _db.Open())
        {
            var customers = await db.Customers.OrderBy(c => c.Id).ToListAsync();
            foreach (var c in customers)
            {
                (c.LastPurchaseAtUtc, c.PurchaseCount, c.OpenCartAtUtc, c.Gender) = (now.AddDays(-c.Id), (int)c.Id, null, Gender.Female);
                c.LoyaltyVersion++;
            }
            customers[0].City = "Казань"; // changed differently: left to EF
            db.Customers.Add(new Customer { RegisteredAtUtc = now, FirstName = "Новый" });
            await db.Family().SaveChangesAsync(db, default);
            Assert.All(db.ChangeTracker.Entries(), e => Assert.Equal(EntityState.Unchanged, e.State));
        }

        await using (var check = _db.Open())
        {
            var stored = await check.Customers.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
            Assert.Equal(13, stored.Count);
            Assert.All(stored.Take(12), c =>
            {
                Assert.Equal(now.AddDays(-c.Id), c.LastPurchaseAtUtc!.Value, TimeSpan.FromMilliseconds(1));
                Assert.Equal((int)c.Id, c.PurchaseCount);
                Assert.Null(c.OpenCartAtUtc);
                Assert.Equal(Gender.Female, c.Gender);
                Assert.Equal(1, c.LoyaltyVersion);
            });
            Assert.Equal("Казань", stored[0].City);
            Assert.Equal("Новый", stored[12].FirstName);
        }

        // One row changed by another writer since it was read: nothing of the batch is stored.
        await using var stale = _db.Open();
        var read = await stale.Customers.OrderBy(c => c.Id).Take(12).ToListAsync();
        await using (var other = _db.Open())
            await other.Customers.Where(c => c.Id == read[5].Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.LoyaltyVersion, 7));
        foreach (var c in read) (c.PurchaseCount, c.LoyaltyVersion) = (0, c.LoyaltyVersion + 1);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.Family().SaveChangesAsync(stale, default));
        await using var after = _db.Open();
        Assert.Equal(12, await after.Customers.CountAsync(c => c.PurchaseCount > 0));
    }

    /// <summary>
    /// A batch saves its customers more than once (one purchase, then the next of the same customer): the second save
    /// checks the tokens the first one stored. Before, rows written together kept the values read as their originals,
    /// so a batch with two purchases of one customer conflicted with itself at every attempt.
    /// </summary>
    [PostgreSqlFact]
    public async Task RowsSavedTogetherCanBeChangedAndSavedAgainInTheSameContext()
    {
        var now = _db.Clock.GetUtcNow().UtcDateTime;
        await using (var seed = _db.Open())
        {
            seed.Customers.AddRange(Enumerable.Range(1, 10).Select(i => new Customer { RegisteredAtUtc = now, FirstName = $"Имя {i}" }));
            await seed.SaveChangesAsync();
        }

        await using (var db = _db.Open())
        {
            var customers = await db.Customers.OrderBy(c => c.Id).ToListAsync();
            for (var pass = 1; pass <= 3; pass++)
            {
                foreach (var c in customers) (c.PurchaseCount, c.LoyaltyVersion) = (pass, c.LoyaltyVersion + 1);
                await db.Family().SaveChangesAsync(db, default);
            }
        }

        await using var check = _db.Open();
        Assert.All(await check.Customers.AsNoTracking().ToListAsync(), c => Assert.Equal((3, 3), (c.PurchaseCount, c.LoyaltyVersion)));
    }

    public void Dispose() => _db.Dispose();
}
