using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Loyalty;

/// <summary>
/// A customer's bonus ledger for the 360° card: entries newest first, a page at a time, each with the balance after it,
/// and the points that expire in the next 30 days. Read through the (CustomerId, AtUtc) index; sums in SQL.
/// </summary>
public sealed class CustomerLedger(IDbContextFactory<OmniConsoleDbContext> dbFactory, TimeProvider clock)
{
    public const int ExpiringWithinDays = 30;

    /// <param name="Balance">the sum of this entry and every older one: what the ledger says the customer had after it</param>
    /// <param name="RuleName">for an accrual, the earning rule that made its lot</param>
    /// <param name="PendingUntilUtc">for an accrual whose points are not active yet, when they become active</param>
    /// <param name="AtUtc">when the points were booked (what the balance and the report go by)</param>
    /// <param name="OrderAtUtc">when the entry's purchase or return happened (the timeline's time), which can be earlier</param>
    public sealed record Row(long Id, DateTime AtUtc, BonusEntryKind Kind, Money Amount, Money Balance, string? RuleName,
        DateTime? PendingUntilUtc, string? OrderNumber, string? Note, DateTime? OrderAtUtc = null);

    public sealed record Page(IReadOnlyList<Row> Rows, int Total);

    /// <summary>Points that expire within <see cref="ExpiringWithinDays"/> days, and the first of those dates.</summary>
    public sealed record Expiring(Money Points, DateTime? FirstUtc);

    public async Task<Page> ReadAsync(long customerId, int skip, int take, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entries = db.BonusLedger.AsNoTracking().Where(e => e.CustomerId == customerId);
        var newestFirst = entries.OrderByDescending(e => e.AtUtc).ThenByDescending(e => e.Id);

        var total = await entries.CountAsync(ct);
        var sum = await entries.SumAsync(e => e.AmountMinor, ct);
        // The balance after the page's first (newest) row is everything less the newer rows the page skips.
        var skipped = skip == 0 ? 0 : await newestFirst.Take(skip).SumAsync(e => e.AmountMinor, ct);
        var rows = await newestFirst.Skip(skip).Take(take)
            .Select(e => new
            {
                e.Id, e.AtUtc, e.Kind, e.AmountMinor, e.Note,
                OrderNumber = e.Order != null ? e.Order.OrderNumber : null,
                OrderAtUtc = e.Order != null ? e.Order.OccurredAtUtc : (DateTime?)null,
                RuleName = e.Lot != null && e.Lot.RuleId != null ? db.EarningRules.Where(r => r.Id == e.Lot.RuleId).Select(r => r.Name).FirstOrDefault() : null,
                RuleVersion = e.Lot != null ? e.Lot.RuleVersion : null,
                // Pending only while the lot still holds points: a purchase returned before activation has none left.
                PendingUntilUtc = e.Lot != null && e.Lot.RemainingMinor > 0 ? e.Lot.ActivatesAtUtc : (DateTime?)null,
            })
            .ToListAsync(ct);

        var balance = sum - skipped;
        var page = new List<Row>(rows.Count);
        foreach (var r in rows)
        {
            var pending = r.Kind == BonusEntryKind.Accrual && r.PendingUntilUtc > now ? r.PendingUntilUtc : null;
            // An accrual by a rule notes the rule's name as it was then: the rule is shown already (by its name now).
            var note = r.Kind == BonusEntryKind.Accrual && r.RuleName is not null ? null : r.Note;
            // The rule as it was when it accrued: its name and the version that made the lot.
            var rule = r.RuleName is null ? null : r.RuleVersion is { } version ? $"{r.RuleName} (v{version})" : r.RuleName;
            page.Add(new Row(r.Id, r.AtUtc, r.Kind, new Money(r.AmountMinor), new Money(balance), rule, pending, r.OrderNumber, note, r.OrderAtUtc));
            balance -= r.AmountMinor;
        }

        return new Page(page, total);
    }

    public async Task<Expiring> ExpiringAsync(long customerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var soon = now.AddDays(ExpiringWithinDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var expiring = await db.BonusLots.AsNoTracking()
            .Where(l => l.CustomerId == customerId && l.RemainingMinor > 0 && l.ExpiresAtUtc > now && l.ExpiresAtUtc <= soon)
            .GroupBy(_ => 1)
            .Select(g => new { Sum = g.Sum(l => l.RemainingMinor), First = g.Min(l => l.ExpiresAtUtc) })
            .SingleOrDefaultAsync(ct); // one group at most
        return new Expiring(new Money(expiring?.Sum ?? 0), expiring?.First);
    }
}
