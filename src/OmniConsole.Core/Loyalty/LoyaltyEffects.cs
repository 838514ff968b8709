using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Orders;

namespace OmniConsole.Core.Loyalty;

/// <summary>Where the rows that loyalty effects create go: ingestion writes them with its batch, the generators give them keys.</summary>
public interface ILoyaltyRows
{
    void AddLot(BonusLot lot);
    void AddLedger(BonusLedgerEntry entry);
    void AddAllocation(RedemptionAllocation allocation);
    void AddGrant(EarningRuleGrant grant);
}

/// <summary>
/// What a purchase and a return do to a customer's points and purchase figures (API.md, loyalty): redemption from the
/// soonest-expiring active lots, accrual by the policy's rules, and on a return the proportional reversal (pending first,
/// what was spent written off) and restore of redeemed points with their original expiry. One implementation, called
/// by live ingestion and by the demo and benchmark generators, so generated data is what ingestion would have written.
/// Rows point at their customer, order and lot both by reference (ingestion: keys come when written) and by key (generators).
/// </summary>
public sealed class LoyaltyEffects(LoyaltyPolicy policy)
{
    public sealed record Accrued(long Amount, DateTime? ActivatesAtUtc);
    public sealed record Returned(long Reversed, long Restored);

    /// <summary>Pays part of the order with active points; returns the points taken.</summary>
    public long Redeem(Customer customer, Order order, BonusWallet wallet, long amount, DateTime nowUtc, ILoyaltyRows rows)
    {
        if (amount <= 0) return 0;
        foreach (var (lot, part) in wallet.Redeem(new Money(amount), nowUtc))
            rows.AddAllocation(new RedemptionAllocation
            {
                Order = order, OrderId = order.Id, Lot = lot, LotId = lot.Id, AmountMinor = part, LotExpiresAtUtc = lot.ExpiresAtUtc,
            });
        rows.AddLedger(Entry(customer, BonusEntryKind.Redemption, -amount, order, null, $"Paid for order {order.OrderNumber}", nowUtc));
        order.BonusRedeemedMinor = amount;
        return amount;
    }

    /// <summary>The purchase counts for the customer's figures: one more purchase, its paid amount, the latest purchase time.</summary>
    public static void CountPurchase(Customer customer, long paidMinor, DateTime occurredAtUtc)
    {
        customer.PurchaseCount++;
        customer.LifetimeValueMinor += paidMinor;
        if (customer.LastPurchaseAtUtc is null || occurredAtUtc > customer.LastPurchaseAtUtc) customer.LastPurchaseAtUtc = occurredAtUtc;
    }

    /// <summary>Accrues by the rules that match the purchase, each as its own lot; <paramref name="added"/> sees each new lot.</summary>
    public Accrued Accrue(Customer customer, Order order, PurchaseFacts purchase, DateTime nowUtc, ILoyaltyRows rows, Action<BonusLot> added)
    {
        long accrued = 0;
        DateTime? activates = null;
        foreach (var a in policy.Accruals(purchase))
        {
            AddLot(customer, order, BonusLotKind.Accrual, a, a.Rule.Name, nowUtc, rows, added);
            accrued += a.Amount.Minor;
            activates ??= a.ActivatesAtUtc;
        }
        order.AccruedMinor = accrued;
        if (order.BonusRedeemedMinor > 0 || accrued > 0) customer.LoyaltyVersion++;
        return new Accrued(accrued, activates);
    }

    /// <summary>
    /// Welcome or birthday points: each accrual its own lot, once per rule, customer and <paramref name="period"/> (the
    /// grant rows' unique key holds that even against a second writer). Returns what was accrued.
    /// </summary>
    public static Accrued Grant(Customer customer, BonusLotKind kind, IEnumerable<LoyaltyPolicy.Accrual> accruals, int period,
        DateTime nowUtc, ILoyaltyRows rows, Action<BonusLot> added)
    {
        long accrued = 0;
        DateTime? activates = null;
        foreach (var a in accruals)
        {
            AddLot(customer, null, kind, a, a.Rule.Name, nowUtc, rows, added);
            rows.AddGrant(new EarningRuleGrant { RuleId = a.Rule.Id, CustomerId = customer.Id, Customer = customer, Period = period, AtUtc = nowUtc });
            accrued += a.Amount.Minor;
            activates ??= a.ActivatesAtUtc;
        }
        if (accrued > 0) customer.LoyaltyVersion++;
        return new Accrued(accrued, activates);
    }

    /// <summary>A promo code's bonus points: active at once, for 365 days, its own lot. Returns the points.</summary>
    public static long PromoPoints(Customer customer, Order order, PromoCode code, long points, DateTime occurredAtUtc, DateTime nowUtc, ILoyaltyRows rows, Action<BonusLot> added)
    {
        var lot = new BonusLot
        {
            Customer = customer, CustomerId = customer.Id, Kind = BonusLotKind.PromoCode, AmountMinor = points, RemainingMinor = points,
            ActivatesAtUtc = occurredAtUtc, ExpiresAtUtc = occurredAtUtc.AddDays(365), Order = order, OrderId = order.Id > 0 ? order.Id : null,
            ActivationRecorded = true,
        };
        rows.AddLot(lot);
        added(lot);
        rows.AddLedger(Entry(customer, BonusEntryKind.Accrual, points, order, lot, $"Promo code {code.Code}", nowUtc));
        order.AccruedMinor += points;
        customer.LoyaltyVersion++;
        return points;
    }

    private static void AddLot(Customer customer, Order? order, BonusLotKind kind, LoyaltyPolicy.Accrual a, string note, DateTime nowUtc, ILoyaltyRows rows, Action<BonusLot> added)
    {
        var lot = new BonusLot
        {
            Customer = customer, CustomerId = customer.Id, Kind = kind, AmountMinor = a.Amount.Minor, RemainingMinor = a.Amount.Minor,
            ActivatesAtUtc = a.ActivatesAtUtc, ExpiresAtUtc = a.ExpiresAtUtc, Order = order, OrderId = order?.Id is > 0 ? order.Id : null,
            RuleId = a.Rule.Id, RuleVersion = a.Rule.Version,
            // A backdated purchase whose delay is already over is active at once: no "now active" item for it.
            ActivationRecorded = a.ActivatesAtUtc <= nowUtc,
        };
        rows.AddLot(lot);
        added(lot);
        rows.AddLedger(Entry(customer, BonusEntryKind.Accrual, a.Amount.Minor, order, lot, note, nowUtc));
    }

    /// <summary>
    /// A return of <paramref name="refundMinor"/> against <paramref name="original"/>: the refunded share of its total takes
    /// the same share of the paid amount off the customer's lifetime value, reverses that share of the accrual (from
    /// <paramref name="ownLots"/>, pending first; what was spent is written off) and restores that share of the redeemed
    /// points from <paramref name="allocations"/>, active at once with the expiry of the lots they came from.
    /// </summary>
    public static Returned Return(Customer customer, Order original, long refundMinor, BonusWallet wallet, ICollection<BonusLot> ownLots,
        IEnumerable<RedemptionAllocation> allocations, DateTime nowUtc, ILoyaltyRows rows, Action<BonusLot> added)
    {
        var number = original.OrderNumber;
        var refundedAfter = original.RefundedMinor + refundMinor;
        original.RefundedMinor = refundedAfter;
        long Share(long amount) => original.TotalMinor == 0 ? 0 : (long)((decimal)amount * refundedAfter / original.TotalMinor);

        var paidAfter = Share(original.PaidMinor);
        customer.LifetimeValueMinor -= paidAfter - original.RefundedPaidMinor;
        original.RefundedPaidMinor = paidAfter;

        var reverse = Share(original.AccruedMinor) - original.AccrualReversedMinor;
        long shortfall = 0;
        if (reverse > 0)
        {
            var (taken, missing) = wallet.Reverse(new Money(reverse), nowUtc, ownLots);
            foreach (var (lot, amount) in taken)
                rows.AddLedger(Entry(customer, BonusEntryKind.AccrualReversal, -amount, original, lot, $"Return of order {number}", nowUtc));
            shortfall = missing.Minor;
            if (shortfall > 0)
            {
                // Debited in full, then the part already spent is written off: the ledger still sums to the balance.
                rows.AddLedger(Entry(customer, BonusEntryKind.AccrualReversal, -shortfall, original, null, $"Return of order {number}: points already spent", nowUtc));
                rows.AddLedger(Entry(customer, BonusEntryKind.WriteOff, shortfall, original, null, $"Return of order {number}: {missing} points already spent, written off", nowUtc));
            }
            original.AccrualReversedMinor += reverse;
        }

        var restore = Share(original.BonusRedeemedMinor) - original.RedeemRestoredMinor;
        if (restore > 0)
        {
            var left = restore;
            foreach (var a in allocations.OrderByDescending(a => a.LotExpiresAtUtc))
            {
                var part = Math.Min(left, a.AmountMinor - a.RestoredMinor);
                if (part <= 0) continue;
                a.RestoredMinor += part;
                left -= part;
                var lot = new BonusLot
                {
                    Customer = customer, CustomerId = customer.Id, Kind = BonusLotKind.Restored, AmountMinor = part, RemainingMinor = part,
                    ActivatesAtUtc = nowUtc, ExpiresAtUtc = a.LotExpiresAtUtc, Order = original, OrderId = original.Id, ActivationRecorded = true,
                };
                rows.AddLot(lot);
                added(lot);
                rows.AddLedger(Entry(customer, BonusEntryKind.RedemptionRestore, part, original, lot, $"Return of order {number}", nowUtc));
            }
            original.RedeemRestoredMinor += restore - left;
        }
        customer.LoyaltyVersion++;
        return new Returned(reverse - shortfall, restore);
    }

    private static BonusLedgerEntry Entry(Customer customer, BonusEntryKind kind, long amount, Order? order, BonusLot? lot, string? note, DateTime at) => new()
    {
        Customer = customer, CustomerId = customer.Id, AtUtc = at, Kind = kind, AmountMinor = amount,
        Order = order, OrderId = order?.Id is > 0 ? order.Id : null, Lot = lot, LotId = lot?.Id is > 0 ? lot.Id : null, Note = note,
        Channel = order?.Channel, RuleId = lot?.RuleId,
    };
}
