using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Loyalty;

public enum AdjustmentOutcome { Done, NoAmount, TooLarge, ReasonRequired, ReasonTooLong, BelowZero, CustomerNotFound, ChangedMeanwhile }

/// <summary>
/// A staff member's manual correction of a customer's points (Marketer, Administrator). A credit is a new lot, active at
/// once for <see cref="LifetimeDays"/>; a debit takes active points, soonest-expiring first, and never more than the
/// active balance. Ledger entry, lots, timeline item, audit entry and the customer's concurrency token change in one
/// transaction, so a purchase or another adjustment committed meanwhile makes this one fail instead of overdrawing.
/// </summary>
public sealed class BonusAdjustments(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, TimeProvider clock, CustomerChangeNotifier notifier)
{
    public const int LifetimeDays = 365;
    public const int MaxReasonLength = 300; // the ledger note's column
    /// <summary>A typo guard: nobody corrects a balance by a million points by hand.</summary>
    public static readonly Money MaxAmount = new(1_000_000_00);

    /// <param name="ActiveAfter">the active balance after the adjustment, or (refused below zero) the balance it would have overdrawn</param>
    public sealed record Result(AdjustmentOutcome Outcome, Money ActiveAfter = default);

    public async Task<Result> AdjustAsync(long customerId, Money amount, string? reason, string actor, CancellationToken ct)
    {
        reason = reason?.Trim();
        if (amount.Minor == 0) return new(AdjustmentOutcome.NoAmount);
        if (Math.Abs(amount.Minor) > MaxAmount.Minor) return new(AdjustmentOutcome.TooLarge);
        if (string.IsNullOrEmpty(reason)) return new(AdjustmentOutcome.ReasonRequired);
        if (reason.Length > MaxReasonLength) return new(AdjustmentOutcome.ReasonTooLong);

        Result result;
        using (await writeGate.EnterAsync(ct)) // in turn with ingestion and the bonus job, as SQLite wants its writers
        {
            try
            {
                result = await ApplyAsync(customerId, amount, reason, actor, ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new(AdjustmentOutcome.ChangedMeanwhile); // another process changed the points: the staff member looks again
            }
            catch (Exception ex) when (dbFactory.Family().IsTryAgain(ex))
            {
                return new(AdjustmentOutcome.ChangedMeanwhile); // another process wrote or holds the database: nothing was written
            }
        }
        if (result.Outcome == AdjustmentOutcome.Done) notifier.Publish([customerId]);
        return result;
    }

    private async Task<Result> ApplyAsync(long customerId, Money amount, string reason, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == customerId && c.MergedIntoId == null, ct);
        if (customer is null) return new(AdjustmentOutcome.CustomerNotFound);

        var lots = await db.BonusLots
            .Where(l => l.CustomerId == customerId).Where(BonusLot.ActiveAt(now))
            .ToListAsync(ct);
        var wallet = new BonusWallet(lots);
        var active = wallet.Active(now);
        BonusLot? credited = null;
        if (amount.Minor > 0)
        {
            credited = new BonusLot
            {
                CustomerId = customerId, Kind = BonusLotKind.Adjustment, AmountMinor = amount.Minor, RemainingMinor = amount.Minor,
                ActivatesAtUtc = now, ExpiresAtUtc = now.AddDays(LifetimeDays), ActivationRecorded = true,
            };
            db.BonusLots.Add(credited);
        }
        else
        {
            var debit = new Money(-amount.Minor);
            if (debit > active) return new(AdjustmentOutcome.BelowZero, active);
            wallet.Redeem(debit, now); // soonest-expiring first; the tracked lots carry the new remainders
        }

        db.BonusLedger.Add(new BonusLedgerEntry
        {
            CustomerId = customerId, AtUtc = now, Kind = BonusEntryKind.Adjustment, AmountMinor = amount.Minor, Lot = credited, Note = reason,
        });
        var bonus = amount.Minor > 0 ? new BonusPayload(amount.Minor, 0, 0, 0, null) : new BonusPayload(0, 0, -amount.Minor, 0, null);
        db.CustomerEvents.Add(BonusTimelineItem.Create(customerId, EventType.BonusAdjusted, now, now,
            $"{EventType.BonusAdjusted.ApiName()}-{customerId}-{Guid.NewGuid():N}", null, bonus, reason));
        db.AuditEntries.Add(new AuditEntry
        {
            AtUtc = now, Actor = actor, Action = AuditAction.BonusAdjusted, CustomerId = customerId,
            Details = AuditText.Format(AuditText.BonusAdjusted, Signed(amount), reason),
        });
        customer.LoyaltyVersion++; // the concurrency token: a purchase or adjustment committed since we read fails one of us
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new(AdjustmentOutcome.Done, active + amount);
    }

    private static string Signed(Money amount) => (amount.Minor > 0 ? "+" : "") + amount.Major.ToString("0.00", CultureInfo.InvariantCulture);
}
