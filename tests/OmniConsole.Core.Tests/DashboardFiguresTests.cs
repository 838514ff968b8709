using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Dashboard;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Tests;

/// <summary>The dashboard's figures against the same questions asked in plain SQL, and against amounts worked out by hand.</summary>
public sealed class DashboardFiguresTests : IDisposable
{
    private readonly TestDatabase _db = new(); // 2026-06-01 10:00 UTC, a Monday (13:00 in Moscow)

    private DashboardFigures Figures() => new(_db.Factory, _db.Clock, _db.Options);

    private async Task SendAsync(params EventRequest[] events)
    {
        var results = await _db.Ingestion().IngestAsync("till", events, CancellationToken.None);
        Assert.All(results, r => Assert.Equal(EventStatus.Accepted, r.Status));
    }

    private static EventRequest In(EventRequest e, string channel, string? store)
    {
        (e.Channel, e.StoreCode) = (channel, store);
        return e;
    }

    /// <summary>
    /// Anna: store 1,000 60 days ago (50 points, active since), store 2,000 (MSK-01) 5 days ago, online 1,000 paying 50
    /// with points 3 days ago → 2 channels in 30 days, net 2,950.
    /// Boris: store 500 (SPB-01) 10 days ago, app 3,000 2 days ago with 1,500 returned → 2 channels, net 2,000.
    /// Clara: store 800 (MSK-01) 40 days ago, store 1,200 yesterday returned in full → 1 channel in 30 days (net 0), 800 more in 90.
    /// Dmitry: store 700 100 days ago → not active.
    /// </summary>
    private async Task HistoryAsync()
    {
        var now = _db.Clock.GetUtcNow();
        await SendAsync(Events.Purchase("d1", "+79160000004", 700m, now.AddDays(-100)));
        await SendAsync(Events.Purchase("a0", "+79160000001", 1000m, now.AddDays(-60)));
        await SendAsync(Events.Purchase("c1", "+79160000003", 800m, now.AddDays(-40)));
        await SendAsync(In(Events.Purchase("b1", "+79160000002", 500m, now.AddDays(-10)), "store", "SPB-01"));
        await SendAsync(Events.Purchase("a1", "+79160000001", 2000m, now.AddDays(-5)));
        await SendAsync(In(Events.Purchase("a2", "+79160000001", 1000m, now.AddDays(-3), redeemed: 50m), "online", null));
        await SendAsync(In(Events.Purchase("b2", "+79160000002", 3000m, now.AddDays(-2)), "app", null));
        await SendAsync(Events.Purchase("c2", "+79160000003", 1200m, now.AddDays(-1)));
        await SendAsync(In(Events.Return("b2r", "+79160000002", "b2", 1500m, now.AddHours(-5)), "app", null));
        await SendAsync(Events.Return("c2r", "+79160000003", "c2", 1200m, now.AddHours(-4)));
    }

    [Fact]
    public async Task ThirtyDaysCountsBuyersByChannelsAndNetsRefunds()
    {
        await HistoryAsync();

        var s = await Figures().ComputeAsync(DashboardPeriod.Last30Days, CancellationToken.None);

        Assert.Equal(_db.Clock.GetUtcNow().UtcDateTime.AddDays(-30), s.FromUtc);
        Assert.Equal((4, 3), (s.Customers.Total, s.Customers.Active));
        Assert.Equal(new Buyers(2, new Money(495000)), s.Omnichannel);
        Assert.Equal(new Money(247500), s.Omnichannel.AverageSpend);
        Assert.Equal(new Buyers(1, Money.Zero), s.SingleChannel);
        Assert.Equal([new ChannelCountRow(1, 1, Money.Zero), new ChannelCountRow(2, 2, new Money(495000))], s.ByChannelCount);

        // Paid 2,000 + 500 + 1,200 in stores, 950 online, 3,000 in the app; refunded 1,200 (store) and 1,500 (app).
        Assert.Equal(
            [new SalesCell(-1, Channel.Store, 3, new Money(370000), new Money(120000)), new SalesCell(-1, Channel.App, 1, new Money(300000), new Money(150000)),
             new SalesCell(-1, Channel.Online, 1, new Money(95000), Money.Zero)],
            s.ByChannel);
        Assert.Equal(new Money(495000), s.Total.Net);
        Assert.Equal(5, s.Total.Orders);
        Assert.Equal(["MSK-01", "SPB-01"], s.TopStores.Select(t => t.Code));
        Assert.Equal([new Money(200000), new Money(50000)], s.TopStores.Select(t => t.Net));
        Assert.Equal(2, s.TopStores[0].Orders);
        // From Saturday 2 May (Moscow) by week: the rest of that week, four weeks from Monday, and this Monday until now.
        Assert.Equal([new DateTime(2026, 5, 2, 13, 0, 0), new(2026, 5, 4), new(2026, 5, 11), new(2026, 5, 18), new(2026, 5, 25), new(2026, 6, 1)],
            s.SalesBuckets.Select(b => b.LocalStart));
        Assert.Equal((s.FromUtc, s.AtUtc), (s.SalesBuckets[0].FromUtc, s.SalesBuckets[^1].ToUtc));
        Assert.True(s.Liability.Active.Minor + s.Liability.Pending.Minor > 0);
    }

    [Theory]
    [InlineData(DashboardPeriod.Last30Days)]
    [InlineData(DashboardPeriod.Last90Days)]
    [InlineData(DashboardPeriod.Last12Months)]
    public async Task FiguresMatchDirectSql(DashboardPeriod period)
    {
        await HistoryAsync();
        var s = await Figures().ComputeAsync(period, CancellationToken.None);
        var (from, now) = (s.FromUtc, s.AtUtc);
        var activeFrom = now.AddDays(-DashboardFigures.ActiveDays);
        await using var db = _db.Open();

        Assert.Equal(await db.Database.SqlQuery<int>($"""SELECT COUNT(*) AS "Value" FROM "Customers" WHERE "MergedIntoId" IS NULL""").SingleAsync(), s.Customers.Total);
        Assert.Equal(await db.Database.SqlQuery<int>($"""
            SELECT COUNT(DISTINCT "CustomerId") AS "Value" FROM "Orders" WHERE "Status" = 'Purchased' AND "OccurredAtUtc" >= {activeFrom} AND "OccurredAtUtc" < {now}
            """).SingleAsync(), s.Customers.Active);
        Assert.Equal(await db.Database.SqlQuery<int>($"""
            SELECT COUNT(*) AS "Value" FROM "Customers" WHERE "MergedIntoId" IS NULL AND "RegisteredAtUtc" >= {from} AND "RegisteredAtUtc" < {now}
            """).SingleAsync(), s.Customers.New);

        var byChannel = await db.Database.SqlQuery<ChannelSql>($"""
            SELECT "Channel", COUNT(*) AS "Orders", SUM("TotalMinor" - "BonusRedeemedMinor" - "RefundedPaidMinor") AS "Net"
            FROM "Orders" WHERE "Status" = 'Purchased' AND "OccurredAtUtc" >= {from} AND "OccurredAtUtc" < {now} GROUP BY "Channel"
            """).ToListAsync();
        Assert.Equal(byChannel.OrderBy(c => c.Channel).ToList(),
            s.ByChannel.Select(c => new ChannelSql(c.Channel!.Value.ToString(), c.Orders, c.Net.Minor)).OrderBy(c => c.Channel).ToList());

        var byCount = await db.Database.SqlQuery<CountSql>($"""
            SELECT "n" AS "Channels", COUNT(*) AS "Customers", SUM("spent") AS "Spent" FROM (
                SELECT "CustomerId", COUNT(DISTINCT "Channel") AS "n", SUM("TotalMinor" - "BonusRedeemedMinor" - "RefundedPaidMinor") AS "spent"
                FROM "Orders" WHERE "Status" = 'Purchased' AND "OccurredAtUtc" >= {from} AND "OccurredAtUtc" < {now} GROUP BY "CustomerId") AS "PerCustomer"
            GROUP BY "n" ORDER BY "n"
            """).ToListAsync();
        Assert.Equal(byCount, s.ByChannelCount.Select(r => new CountSql(r.Channels, r.Customers, r.Spent.Minor)).ToList());

        var stores = await db.Database.SqlQuery<StoreSql>($"""
            SELECT s."Code", SUM(o."TotalMinor" - o."BonusRedeemedMinor" - o."RefundedPaidMinor") AS "Net" FROM "Orders" o JOIN "Stores" s ON s."Id" = o."StoreId"
            WHERE o."Status" = 'Purchased' AND o."OccurredAtUtc" >= {from} AND o."OccurredAtUtc" < {now} GROUP BY s."Code" ORDER BY 2 DESC
            """).ToListAsync();
        Assert.Equal(stores, s.TopStores.Select(t => new StoreSql(t.Code, t.Net.Minor)).ToList());

        var liability = await db.Database.SqlQuery<long>($"""
            SELECT COALESCE(SUM("RemainingMinor"), 0) AS "Value" FROM "BonusLots" WHERE "RemainingMinor" > 0 AND "ExpiresAtUtc" > {now}
            """).SingleAsync();
        Assert.Equal(liability, s.Liability.Active.Minor + s.Liability.Pending.Minor);
        Assert.True(liability > 0);
    }

    [Fact]
    public async Task TwelveMonthsAreCalendarMonthsInTheDisplayTimeZoneAndAddUpToThePeriod()
    {
        await HistoryAsync();
        var s = await Figures().ComputeAsync(DashboardPeriod.Last12Months, CancellationToken.None);

        // June 2026 in Moscow starts at 31 May 21:00 UTC; twelve months back from it is 1 July 2025 (UTC+3).
        Assert.Equal(new DateTime(2025, 6, 30, 21, 0, 0, DateTimeKind.Utc), s.FromUtc);
        Assert.Equal(12, s.SalesBuckets.Count);
        Assert.Equal(new DateTime(2025, 7, 1), s.SalesBuckets[0].LocalStart);
        Assert.Equal(new DateTime(2026, 6, 1), s.SalesBuckets[^1].LocalStart);
        Assert.Equal(s.AtUtc, s.SalesBuckets[^1].ToUtc);
        Assert.All(s.SalesBuckets.Zip(s.SalesBuckets.Skip(1)), p => Assert.Equal(p.First.ToUtc, p.Second.FromUtc));
        Assert.All(s.Customers.Weeks, w => Assert.True(w.LocalStart.DayOfWeek == DayOfWeek.Monday || w.FromUtc == s.FromUtc));
        Assert.Equal(4, s.Customers.New);
        // Dmitry's store purchase of 100 days ago (21 February) is the only sale before April.
        Assert.Equal(new Money(70000), new Money(s.Sales.Where(c => s.SalesBuckets[c.Bucket].LocalStart == new DateTime(2026, 2, 1)).Sum(c => c.Net.Minor)));
    }

    [Fact]
    public async Task KeptFiguresAreServedUntilARefreshAndARefreshSeesNewSales()
    {
        var figures = Figures();
        Assert.Null(figures.Kept(DashboardPeriod.Last30Days));
        var first = await figures.GetAsync(DashboardPeriod.Last30Days, CancellationToken.None);
        Assert.Same(first, figures.Kept(DashboardPeriod.Last30Days));

        await SendAsync(Events.Purchase("n1", "+79160000009", 100m, _db.Clock.GetUtcNow().AddHours(-1)));
        _db.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Same(first, await figures.GetAsync(DashboardPeriod.Last30Days, CancellationToken.None));
        var refreshed = await figures.RefreshAsync(DashboardPeriod.Last30Days, CancellationToken.None);
        Assert.Equal((0, 1), (first.Total.Orders, refreshed.Total.Orders));
        Assert.Equal(first.AtUtc.AddMinutes(5), refreshed.AtUtc);
        Assert.Same(refreshed, figures.Kept(DashboardPeriod.Last30Days));
        Assert.Null(figures.Kept(DashboardPeriod.Last90Days));
    }

    [Fact]
    public async Task FiguresOneInstanceComputedAreTakenInByAnotherAsTheyWere()
    {
        await SendAsync(Events.Purchase("s1", "+79160000011", 2500m, _db.Clock.GetUtcNow().AddDays(-2)));
        var (worker, web) = (Figures(), Figures());
        var computed = await worker.RefreshAsync(DashboardPeriod.Last30Days, CancellationToken.None);

        Assert.Null(web.Kept(DashboardPeriod.Last30Days));
        Assert.Equal(1, await web.TakeInStoredAsync(CancellationToken.None));
        var taken = web.Kept(DashboardPeriod.Last30Days)!;
        // The same figures, read back from what was stored: every value, the derived ones included.
        Assert.Equal(JsonValue.Serialize(computed), JsonValue.Serialize(taken));
        Assert.Equal((1, new Money(250000)), (taken.Total.Orders, taken.Total.Net));
        Assert.Equal(0, await web.TakeInStoredAsync(CancellationToken.None)); // nothing newer

        // A newer computation replaces it; the web instance's own older one does not overwrite the stored newer one.
        _db.Clock.Advance(TimeSpan.FromMinutes(15));
        var newer = await worker.RefreshAsync(DashboardPeriod.Last30Days, CancellationToken.None);
        Assert.Equal(1, await web.TakeInStoredAsync(CancellationToken.None));
        Assert.Equal(newer.AtUtc, web.Kept(DashboardPeriod.Last30Days)!.AtUtc);
    }

    private sealed record ChannelSql(string Channel, int Orders, long Net);
    private sealed record CountSql(int Channels, int Customers, long Spent);
    private sealed record StoreSql(string Code, long Net);

    public void Dispose() => _db.Dispose();
}
