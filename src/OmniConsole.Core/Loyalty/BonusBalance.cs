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
        var sums = await lots.AsNoTracking()
            .Where(l => l.RemainingMinor > 0 && l.ExpiresAtUtc > nowUtc)
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Active = g.Where(l => l.ActivatesAtUtc <= nowUtc).Sum(l => l.RemainingMinor),
                Pending = g.Where(l => l.ActivatesAtUtc > nowUtc).Sum(l => l.RemainingMinor),
            })
            .SingleOrDefaultAsync(ct); // one group at most: Single says so, and needs no order
        return sums is null ? default : new BonusBalance(new Money(sums.Active), new Money(sums.Pending));
    }
}
