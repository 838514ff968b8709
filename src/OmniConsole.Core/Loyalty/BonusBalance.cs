using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Loyalty;

public readonly record struct BonusBalance(Money Active, Money Pending)
{
    /// <summary>A customer's balance now: what remains of lots, pending before activation, active until expiry. Summed in SQL.</summary>
    public static Task<BonusBalance> ForCustomerAsync(OmniConsoleDbContext db, long customerId, DateTime nowUtc, CancellationToken ct) =>
        OfLotsAsync(db.BonusLots.Where(l => l.CustomerId == customerId), nowUtc, ct);

    /// <summary>The balance of the given lots now (one customer's, or everyone's for the liability), summed in SQL.</summary>
    public static async Task<BonusBalance> OfLotsAsync(IQueryable<BonusLot> lots, DateTime nowUtc, CancellationToken ct)
    {
        var sums = await Summed(lots.AsNoTracking().Where(BonusLot.CountsAt(nowUtc)).GroupBy(_ => 1), nowUtc)
            .SingleOrDefaultAsync(ct); // one group at most: Single says so, and needs no order
        return sums is null ? default : new BonusBalance(new Money(sums.Active), new Money(sums.Pending));
    }

    /// <summary>Each customer's balance of the given lots now, summed in SQL; customers without points are left out.</summary>
    public static async Task<Dictionary<long, BonusBalance>> ByCustomerAsync(IQueryable<BonusLot> lots, DateTime nowUtc, CancellationToken ct) =>
        await Summed(lots.AsNoTracking().Where(BonusLot.CountsAt(nowUtc)).GroupBy(l => l.CustomerId), nowUtc)
            .ToDictionaryAsync(s => s.Key, s => new BonusBalance(new Money(s.Active), new Money(s.Pending)), ct);

    private sealed record Sums<TKey>(TKey Key, long Active, long Pending);

    /// <summary>Active and pending points of each group of counted lots (see <see cref="BonusLot.CountsAt"/>).</summary>
    private static IQueryable<Sums<TKey>> Summed<TKey>(IQueryable<IGrouping<TKey, BonusLot>> groups, DateTime nowUtc) =>
        groups.Select(g => new Sums<TKey>(g.Key, g.Where(l => l.ActivatesAtUtc <= nowUtc).Sum(l => l.RemainingMinor), g.Where(l => l.ActivatesAtUtc > nowUtc).Sum(l => l.RemainingMinor)));
}
