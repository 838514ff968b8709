using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Loyalty;

/// <summary>
/// The loyalty report on /reports: the points outstanding (the liability), and over the last 12 months what was accrued,
/// redeemed and expired per month and per channel, and the earning rules that accrued most. Every figure is summed in SQL.
/// </summary>
/// <remarks>
/// Months are calendar months in the installation's time zone (the one the app shows times in), the current one included. A ledger entry's channel is its order's (an expiry's:
/// the order that earned the lot); entries without an order (adjustments, birthday gifts) have none. Each month is read kind by kind over the (Kind, AtUtc, Channel, RuleId,
/// AmountMinor) index, grouped by the channel and rule the entry carries — one index range each, never the whole ledger,
/// no joins (joining millions of entries to their orders and lots cost more than the whole report does now). A month
/// that ended more than a day ago no longer changes (entries are dated when written; expiries a job minute late at most;
/// merges move entries between customers, not in or out of a month), so those months are computed once per process and
/// kept: a report reads the current month and the liability live.
/// </remarks>
public sealed class LoyaltyReport(IDbContextFactory<OmniConsoleDbContext> dbFactory, TimeProvider clock, Microsoft.Extensions.Options.IOptions<OmniConsoleOptions> options)
{
    public const int Months = 12;
    public const int TopRules = 10;

    /// <summary>Points that moved, as positive amounts where the name says which way; returns and adjustments are net and signed.</summary>
    /// <param name="Returns">accrual reversed by returns, redeemed points given back and spent points written off, net</param>
    public sealed record Movement(Money Accrued, Money Redeemed, Money Expired, Money Returns, Money Adjusted)
    {
        public static readonly Movement None = new(Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero);

        public Movement Add(BonusEntryKind kind, long minor) => kind switch
        {
            BonusEntryKind.Accrual => this with { Accrued = Accrued + new Money(minor) },
            BonusEntryKind.Redemption => this with { Redeemed = Redeemed - new Money(minor) },
            BonusEntryKind.Expiry => this with { Expired = Expired - new Money(minor) },
            BonusEntryKind.AccrualReversal or BonusEntryKind.RedemptionRestore or BonusEntryKind.WriteOff => this with { Returns = Returns + new Money(minor) },
            BonusEntryKind.Adjustment => this with { Adjusted = Adjusted + new Money(minor) },
            _ => this, // merges move entries between customers: nothing is gained or lost
        };
    }

    /// <param name="Month">the month's first day, in the installation's time zone</param>
    public sealed record MonthRow(DateOnly Month, Movement Movement);
    /// <param name="Channel">null: entries without an order</param>
    public sealed record ChannelRow(Channel? Channel, Movement Movement);
    public sealed record RuleRow(int RuleId, string Name, Money Accrued);

    public sealed record Report(DateTime AtUtc, DateOnly FirstMonth, Money Active, Money Pending,
        IReadOnlyList<MonthRow> ByMonth, IReadOnlyList<ChannelRow> ByChannel, IReadOnlyList<RuleRow> TopRules);

    /// <summary>A month's entries of one kind, one channel and (accruals) one rule, summed.</summary>
    private sealed record Group(BonusEntryKind Kind, Channel? Channel, int? RuleId, long Sum);

    // The kinds the report sums; MergedIn moves nothing in total.
    private static readonly BonusEntryKind[] CountedKinds =
        Enum.GetValues<BonusEntryKind>().Where(k => k != BonusEntryKind.MergedIn).ToArray();

    private readonly ConcurrentDictionary<DateTime, IReadOnlyList<Group>> _settledMonths = new();

    public async Task<Report> BuildAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Each month from local midnight on its first day: a purchase at 01:00 Moscow time on the 1st is that month's.
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.DisplayTimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
        var firsts = Enumerable.Range(0, Months + 1).Select(i => new DateOnly(today.Year, today.Month, 1).AddMonths(i - Months + 1)).ToArray();
        var months = firsts.Select(d => TimeZoneInfo.ConvertTimeToUtc(d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone)).ToArray();

        var liability = LiabilityAsync(now, ct); // on a connection of its own, beside the months
        // Months not kept yet are read two at a time (each on its own connection): a fresh process reads eleven of them.
        var groups = new IReadOnlyList<Group>[Months];
        await Parallel.ForEachAsync(Enumerable.Range(0, Months), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct },
            async (i, token) => groups[i] = await MonthAsync(months[i], months[i + 1], now, token));
        var byMonth = groups.Select((g, i) => (Month: firsts[i], Groups: g)).ToList();
        var balance = await liability;

        var all = byMonth.SelectMany(m => m.Groups).ToList();
        var byChannel = all.GroupBy(g => g.Channel)
            .Select(c => new ChannelRow(c.Key, Sum(c)))
            .OrderBy(c => c.Channel is null).ThenBy(c => c.Channel)
            .ToList();
        var accruedByRule = all.Where(g => g.Kind == BonusEntryKind.Accrual && g.RuleId is not null)
            .GroupBy(g => g.RuleId!.Value)
            .Select(r => (RuleId: r.Key, Sum: r.Sum(g => g.Sum)))
            .OrderByDescending(r => r.Sum).ThenBy(r => r.RuleId)
            .Take(TopRules)
            .ToList();
        return new Report(now, firsts[0], balance.Active, balance.Pending,
            byMonth.Select(m => new MonthRow(m.Month, Sum(m.Groups))).ToList(), byChannel, await NamedAsync(accruedByRule, ct));
    }

    private static Movement Sum(IEnumerable<Group> groups) => groups.Aggregate(Movement.None, (m, g) => m.Add(g.Kind, g.Sum));

    private async Task<BonusBalance> LiabilityAsync(DateTime now, CancellationToken ct)
    {
        await Task.Yield(); // the caller goes on to the months meanwhile
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await BonusBalance.OfLotsAsync(db.BonusLots, now, ct);
    }

    private async Task<IReadOnlyList<Group>> MonthAsync(DateTime start, DateTime end, DateTime now, CancellationToken ct)
    {
        if (_settledMonths.TryGetValue(start, out var kept)) return kept;
        var groups = new List<Group>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var kind in CountedKinds)
        {
            var entries = db.BonusLedger.AsNoTracking().Where(e => e.Kind == kind && e.AtUtc >= start && e.AtUtc < end);
            // Only accruals are counted by rule. The channel and rule are on the entry (its order's, its lot's).
            groups.AddRange(kind == BonusEntryKind.Accrual
                ? await entries
                    .GroupBy(e => new { e.Channel, e.RuleId })
                    .Select(g => new Group(kind, g.Key.Channel, g.Key.RuleId, g.Sum(e => e.AmountMinor)))
                    .ToListAsync(ct)
                : await entries
                    .GroupBy(e => e.Channel)
                    .Select(g => new Group(kind, g.Key, null, g.Sum(e => e.AmountMinor)))
                    .ToListAsync(ct));
        }
        if (end <= now.AddDays(-1)) _settledMonths[start] = groups;
        return groups;
    }

    private async Task<IReadOnlyList<RuleRow>> NamedAsync(List<(int RuleId, long Sum)> rules, CancellationToken ct)
    {
        var ids = rules.Select(r => r.RuleId).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.EarningRules.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.Name }).ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        return rules.Select(r => new RuleRow(r.RuleId, names.GetValueOrDefault(r.RuleId, $"#{r.RuleId}"), new Money(r.Sum))).ToList();
    }
}
