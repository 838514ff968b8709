using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Loyalty;

/// <summary>
/// Puts time-driven bonus changes on the timeline: pending points that became active ("your bonuses are now active"
/// triggers hang on this item) and points that expired (their remainder leaves the balance, recorded on the ledger).
/// Called periodically by the web app's background job; each call handles what is due at <c>now</c>.
/// </summary>
public sealed class BonusLifecycle(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, TimeProvider clock, CustomerChangeNotifier notifier)
{
    private const int Batch = 500;

    /// <summary>Records everything due; returns how many lots were handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var handled = 0;
        var touched = new HashSet<long>();
        while (!ct.IsCancellationRequested)
        {
            using var turn = await writeGate.EnterAsync(ct); // one short transaction at a time, in turn with ingestion
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var activated = await db.BonusLots.Where(l => !l.ActivationRecorded && l.ActivatesAtUtc <= now).OrderBy(l => l.Id).Take(Batch).ToListAsync(ct);
            var expired = await db.BonusLots.Where(l => !l.ExpiryRecorded && l.ExpiresAtUtc <= now).OrderBy(l => l.Id).Take(Batch).ToListAsync(ct);
            if (activated.Count == 0 && expired.Count == 0) break;
            // An expiry is reported under the channel that earned the points (the lot's order's), as its accrual was.
            var orderIds = expired.Where(l => l.OrderId is not null).Select(l => l.OrderId!.Value).Distinct().ToList();
            var earnedIn = await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).Select(o => new { o.Id, o.Channel }).ToDictionaryAsync(o => o.Id, o => o.Channel, ct);

            foreach (var lot in activated)
                if (Activate(lot, now) is { } item) db.CustomerEvents.Add(item);
            foreach (var lot in expired)
            {
                if (Expire(lot, lot.OrderId is { } order && earnedIn.TryGetValue(order, out var channel) ? channel : null, now) is not var (entry, item)) continue;
                db.BonusLedger.Add(entry);
                db.CustomerEvents.Add(item);
            }
            var customers = activated.Concat(expired).Select(l => l.CustomerId).Distinct().ToList();
            await db.Customers.Where(c => customers.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.LoyaltyVersion, c => c.LoyaltyVersion + 1), ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            handled += activated.Count + expired.Count;
            touched.UnionWith(customers);
        }
        notifier.Publish(touched);
        return handled;
    }

    // What an activation and an expiry write, in one place for this job and the demo generator (which plays the job's
    // part in the history it makes). The caller adds the rows and bumps the customer's loyalty version.

    /// <summary>Records the lot's activation at <paramref name="recordedAt"/>: its timeline item, or null when nothing is left to activate.</summary>
    public static CustomerEvent? Activate(BonusLot lot, DateTime recordedAt)
    {
        lot.ActivationRecorded = true;
        return lot.RemainingMinor > 0 && lot.ExpiresAtUtc > recordedAt
            ? Item(lot, EventType.BonusActivated, lot.ActivatesAtUtc, recordedAt, new BonusPayload(lot.RemainingMinor, 0, 0, 0, lot.ActivatesAtUtc))
            : null;
    }

    /// <summary>
    /// Records the lot's expiry at <paramref name="recordedAt"/>: its remainder leaves the balance, with a ledger entry
    /// (under <paramref name="earnedIn"/>, the channel whose order earned the points) and a timeline item; null when
    /// nothing was left.
    /// </summary>
    public static (BonusLedgerEntry Entry, CustomerEvent Item)? Expire(BonusLot lot, Channel? earnedIn, DateTime recordedAt)
    {
        (lot.ExpiryRecorded, lot.ActivationRecorded) = (true, true);
        if (lot.RemainingMinor <= 0) return null;
        var amount = lot.RemainingMinor;
        lot.RemainingMinor = 0;
        var entry = new BonusLedgerEntry
        {
            CustomerId = lot.CustomerId, AtUtc = lot.ExpiresAtUtc, Kind = BonusEntryKind.Expiry, AmountMinor = -amount, Lot = lot, LotId = lot.Id,
            RuleId = lot.RuleId, Note = "Expired", Channel = earnedIn,
        };
        return (entry, Item(lot, EventType.BonusExpired, lot.ExpiresAtUtc, recordedAt, new BonusPayload(0, 0, amount, 0, null)));
    }

    private static CustomerEvent Item(BonusLot lot, EventType type, DateTime at, DateTime recordedAt, BonusPayload bonus) =>
        BonusTimelineItem.Create(lot.CustomerId, type, at, recordedAt, $"{type.ApiName()}-{lot.Id}", lot.OrderId, bonus);
}
