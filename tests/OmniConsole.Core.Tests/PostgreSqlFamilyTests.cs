using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Orders;
using OmniConsole.Tests.Shared;

namespace OmniConsole.Core.Tests;

/// <summary>What PostgreSQL's family does its own way: sessions without JIT, rows by COPY with keys from the table's own sequence.</summary>
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

    public void Dispose() => _db.Dispose();
}
