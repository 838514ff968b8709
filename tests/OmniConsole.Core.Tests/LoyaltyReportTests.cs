using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;
using OmniConsole.Tests.Shared;

namespace OmniConsole.Core.Tests;

/// <summary>The loyalty report's figures from a real ledger on a SQLite file: liability, months, channels, rules, the window.</summary>
public sealed class LoyaltyReportTests : IDisposable
{
    private const string Phone = "+79161234567";
    private readonly TestDatabase _db = new(); // the clock starts on 2026-06-01 10:00 UTC

    private LoyaltyReport Report() => new(_db.Factory, _db.Clock, _db.Options);

    private async Task SendAsync(EventRequest e) =>
        Assert.Equal(EventStatus.Accepted, (await _db.Ingestion().IngestAsync("till", [e], CancellationToken.None)).Single().Status);

    /// <summary>
    /// June 2026: a store purchase (+100), then an app purchase paying 50 with points (−50, +47.50 on the 950 paid).
    /// July 2026: a marketer's +10, and a store purchase (+10, still pending on the 6th).
    /// </summary>
    private async Task HistoryAsync()
    {
        await SendAsync(Events.Purchase("p1", Phone, 2000m, _db.Clock.GetUtcNow()));
        _db.Clock.Advance(TimeSpan.FromDays(15));
        var app = Events.Purchase("p2", Phone, 1000m, _db.Clock.GetUtcNow(), redeemed: 50m);
        (app.Channel, app.StoreCode) = ("app", null);
        await SendAsync(app);
        _db.Clock.Advance(TimeSpan.FromDays(20)); // 2026-07-06
        await using (var db = _db.Open())
        {
            var id = db.Customers.Single().Id;
            var adjusted = await new BonusAdjustments(_db.Factory, new WriteGate(), _db.Clock, _db.Notifier)
                .AdjustAsync(id, new Money(1000), "goodwill", "marketer", CancellationToken.None);
            Assert.Equal(AdjustmentOutcome.Done, adjusted.Outcome);
        }
        await SendAsync(Events.Purchase("p3", Phone, 200m, _db.Clock.GetUtcNow()));
    }

    private static LoyaltyReport.Movement M(long accrued = 0, long redeemed = 0, long expired = 0, long returns = 0, long adjusted = 0) =>
        new(new Money(accrued), new Money(redeemed), new Money(expired), new Money(returns), new Money(adjusted));

    [Fact]
    public async Task ReportSumsLiabilityMonthsChannelsAndRules()
    {
        await HistoryAsync();

        var report = await Report().BuildAsync(CancellationToken.None);

        // Active: 100 − 50 redeemed + 47.50 (active since 30 June) + 10 adjusted; pending: the 10 of 6 July.
        Assert.Equal((new Money(10750), new Money(1000)), (report.Active, report.Pending));
        Assert.Equal(12, report.ByMonth.Count);
        Assert.Equal(new DateOnly(2025, 8, 1), report.FirstMonth);
        var june = report.ByMonth.Single(m => m.Month == new DateOnly(2026, 6, 1));
        var july = report.ByMonth[^1];
        Assert.Equal(M(accrued: 14750, redeemed: 5000), june.Movement);
        Assert.Equal(M(accrued: 1000, adjusted: 1000), july.Movement);
        Assert.All(report.ByMonth.SkipLast(2), m => Assert.Equal(M(), m.Movement));

        Assert.Equal(
            [new LoyaltyReport.ChannelRow(Channel.Store, M(accrued: 11000)), new LoyaltyReport.ChannelRow(Channel.App, M(accrued: 4750, redeemed: 5000)),
             new LoyaltyReport.ChannelRow(null, M(adjusted: 1000))],
            report.ByChannel);
        Assert.Equal([new LoyaltyReport.RuleRow(EarningRule.DefaultRuleId, "Base earning: 5 % of the paid amount", new Money(15750))], report.TopRules);
    }

    [Fact]
    public async Task ReportCoversTheLastTwelveMonthsAndCountsExpiriesUnderTheChannelThatEarnedThem()
    {
        await HistoryAsync();
        var report = Report();
        await report.BuildAsync(CancellationToken.None); // keeps the months that are over, as the app does

        // A year on, the first lot (active 15 June 2026 for 365 days) expires with the 50 points left of it.
        _db.Clock.SetUtcNow(new DateTimeOffset(2027, 6, 20, 10, 0, 0, TimeSpan.Zero));
        await new BonusLifecycle(_db.Factory, new WriteGate(), _db.Clock, _db.Notifier).RunOnceAsync(CancellationToken.None);
        var later = await report.BuildAsync(CancellationToken.None);

        Assert.Equal(new DateOnly(2026, 7, 1), later.FirstMonth); // June 2026 has left the window
        Assert.Equal(M(accrued: 1000, adjusted: 1000), later.ByMonth[0].Movement);
        Assert.Equal(M(expired: 5000), later.ByMonth[^1].Movement);
        // The expired points were earned in a store: they are the store's, not "without an order".
        Assert.Equal([new LoyaltyReport.ChannelRow(Channel.Store, M(accrued: 1000, expired: 5000)), new LoyaltyReport.ChannelRow(null, M(adjusted: 1000))], later.ByChannel);
        Assert.Equal(new Money(1000), later.TopRules.Single().Accrued);
    }

    [Fact]
    public async Task MonthsAreCutAtMidnightWhereTheAppReadsTimes()
    {
        // 22:30 UTC on 30 June is 01:30 on 1 July in Moscow, the installation's time zone: a July purchase.
        _db.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 30, 22, 30, 0, TimeSpan.Zero));
        await SendAsync(Events.Purchase("p1", Phone, 2000m, _db.Clock.GetUtcNow()));

        var report = await Report().BuildAsync(CancellationToken.None);

        Assert.Equal(new DateOnly(2026, 7, 1), report.ByMonth[^1].Month);
        Assert.Equal(M(accrued: 10000), report.ByMonth[^1].Movement);
        Assert.Equal(M(), report.ByMonth[^2].Movement);
    }

    [SqliteFact] // reads SQLite's query plans
    public async Task ReportReadsTheLedgerByIndexRangesNeverTheWholeTable()
    {
        await HistoryAsync();

        var plans = await QueryPlans.OfServiceAsync(_db, factory => new LoyaltyReport(factory, _db.Clock, _db.Options).BuildAsync(CancellationToken.None));

        var ledgerReads = plans.Where(p => p.Sql.Contains("FROM \"BonusLedger\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(12 * 7, ledgerReads.Count); // a month and a kind each
        Assert.All(ledgerReads, p => Assert.Contains("SEARCH b USING COVERING INDEX IX_BonusLedger_Report (Kind=? AND AtUtc>? AND AtUtc<?)", p.Plan));
    }

    public void Dispose() => _db.Dispose();
}
