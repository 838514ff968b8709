using OmniConsole.Core.Common;

namespace OmniConsole.Core.Loyalty;

/// <summary>
/// A customer's bonus lots in memory, and the rules for drawing them down. Pure logic over the lots it is given;
/// the caller loads and saves them (inside a transaction guarded by the customer's concurrency token).
/// </summary>
public sealed class BonusWallet(List<BonusLot> lots)
{
    public IReadOnlyList<BonusLot> Lots => lots;

    public Money Active(DateTime now) => new(lots.Where(l => l.IsActiveAt(now)).Sum(l => l.RemainingMinor));
    public Money Pending(DateTime now) => new(lots.Where(l => l.IsPendingAt(now)).Sum(l => l.RemainingMinor));

    public void Add(BonusLot lot) => lots.Add(lot);

    /// <summary>Takes <paramref name="amount"/> from active lots, those expiring soonest first. The caller checked the balance.</summary>
    public List<(BonusLot Lot, long Amount)> Redeem(Money amount, DateTime now)
    {
        if (amount > Active(now)) throw new InvalidOperationException("Redemption above the active balance.");
        return Take(lots.Where(l => l.IsActiveAt(now)).OrderBy(l => l.ExpiresAtUtc).ThenBy(l => l.Id), amount.Minor).Taken;
    }

    /// <summary>
    /// Takes back points a return reverses: pending points first (the purchase's own lot before others), then active ones.
    /// Whatever cannot be taken (already spent) is the shortfall, written off on the ledger.
    /// </summary>
    public (List<(BonusLot Lot, long Amount)> Taken, Money Shortfall) Reverse(Money amount, DateTime now, ICollection<BonusLot> ownLots)
    {
        var order = lots.Where(l => l.RemainingMinor > 0 && now < l.ExpiresAtUtc)
            .OrderByDescending(l => l.IsPendingAt(now))
            .ThenByDescending(l => ownLots.Contains(l))
            .ThenBy(l => l.ExpiresAtUtc);
        var (taken, left) = Take(order, amount.Minor);
        return (taken, new Money(left));
    }

    private static (List<(BonusLot, long)> Taken, long Left) Take(IEnumerable<BonusLot> candidates, long amount)
    {
        var taken = new List<(BonusLot, long)>();
        foreach (var lot in candidates)
        {
            if (amount == 0) break;
            var part = Math.Min(lot.RemainingMinor, amount);
            if (part <= 0) continue;
            lot.RemainingMinor -= part;
            amount -= part;
            taken.Add((lot, part));
        }
        return (taken, amount);
    }
}
