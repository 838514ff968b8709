using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Loyalty;

/// <summary>
/// Birthday rules accrue on the customer's birthday (in the display time zone; 29 February counts on 28 February in other
/// years), once a year per rule: the grant's unique key (rule, customer, year) makes a second run, or a second app
/// instance, a no-op. Each accrual gets its timeline item. Called by a background job; safe to call often.
/// </summary>
public sealed class BirthdayBonuses(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, TimeProvider clock,
    IOptions<OmniConsoleOptions> options, CustomerChangeNotifier notifier)
{
    private const int Batch = 500;

    private sealed class Rows(OmniConsoleDbContext db) : ILoyaltyRows
    {
        public Dictionary<int, long> AccruedByRule { get; } = [];

        public void AddLot(BonusLot lot)
        {
            db.BonusLots.Add(lot);
            if (lot.RuleId is { } rule) AccruedByRule[rule] = AccruedByRule.GetValueOrDefault(rule) + lot.AmountMinor;
        }
        public void AddLedger(BonusLedgerEntry entry) => db.BonusLedger.Add(entry);
        public void AddAllocation(RedemptionAllocation allocation) => db.RedemptionAllocations.Add(allocation);
        public void AddGrant(EarningRuleGrant grant) => db.EarningRuleGrants.Add(grant);
    }

    /// <summary>Accrues what is due today; returns how many customers got birthday points.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.DisplayTimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
        var (month, day) = (today.Month, today.Day);
        var leapDayToo = month == 2 && day == 28 && !DateTime.IsLeapYear(today.Year);
        var granted = 0;
        var touched = new HashSet<long>();
        while (!ct.IsCancellationRequested)
        {
            using var turn = await writeGate.EnterAsync(ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var policy = (await LoyaltyRules.LoadAsync(db, options.Value.Loyalty.MaxRedeemShare, ct)).Policy;
            if (!policy.HasBirthdayRules) break;
            var ruleIds = await db.EarningRules.Where(r => r.Status == EarningRuleStatus.Active && r.Kind == EarningRuleKind.Birthday).Select(r => r.Id).ToListAsync(ct);
            // Customers born today who lack this year's grant of at least one active birthday rule.
            var due = await db.Customers
                .Where(c => c.MergedIntoId == null && c.BirthDate != null && c.BirthDate.Value.Month == month
                    && (c.BirthDate.Value.Day == day || (leapDayToo && c.BirthDate.Value.Day == 29)))
                .Where(c => ruleIds.Any(r => !db.EarningRuleGrants.Any(g => g.CustomerId == c.Id && g.RuleId == r && g.Period == today.Year)))
                .OrderBy(c => c.Id).Take(Batch).ToListAsync(ct);
            if (due.Count == 0) break;

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var grants = await db.EarningRuleGrants.Where(g => g.Period == today.Year && ruleIds.Contains(g.RuleId) && due.Select(c => c.Id).Contains(g.CustomerId))
                .Select(g => new { g.CustomerId, g.RuleId }).ToListAsync(ct);
            var rows = new Rows(db);
            foreach (var customer in due)
            {
                var accruals = policy.BirthdayAccruals(PurchaseFacts.Event(Channel.System, null, now, customer.Tier))
                    .Where(a => !grants.Any(g => g.CustomerId == customer.Id && g.RuleId == a.Rule.Id)).ToList();
                if (accruals.Count == 0) continue;
                var (amount, activates) = LoyaltyEffects.Grant(customer, BonusLotKind.Birthday, accruals, today.Year, now, rows, _ => { });
                var payload = new EventPayload { Bonus = new BonusPayload(amount, 0, 0, 0, activates), Text = string.Join(", ", accruals.Select(a => a.Rule.Name)) };
                db.CustomerEvents.Add(new CustomerEvent
                {
                    CustomerId = customer.Id, Channel = Channel.System, Type = EventType.BonusGranted, OccurredAtUtc = now, ReceivedAtUtc = now,
                    Source = "system", SourceEventId = $"birthday-{today.Year}-{customer.Id}-{string.Join('-', accruals.Select(a => a.Rule.Id))}", AmountMinor = amount, Payload = payload,
                    Summary = TimelineText.Summary(EventType.BonusGranted, Channel.System, payload, CultureInfo.InvariantCulture),
                });
                touched.Add(customer.Id);
                granted++;
            }
            await db.SaveChangesAsync(ct);
            await LoyaltyRules.AddAccruedAsync(db, rows.AccruedByRule, ct);
            await tx.CommitAsync(ct);
        }
        notifier.Publish(touched);
        return granted;
    }
}
