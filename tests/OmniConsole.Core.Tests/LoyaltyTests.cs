using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Core.Tests;

public sealed class LoyaltyTests : IDisposable
{
    private const string Phone = "+79161234567";
    private readonly TestDatabase _db = new();

    private async Task<EventResult> SendAsync(EventRequest e, EventIngestionService? service = null) =>
        (await (service ?? _db.Ingestion()).IngestAsync("till", [e], CancellationToken.None)).Single();

    private async Task<BonusBalance> BalanceAsync(string customerId)
    {
        await using var db = _db.Open();
        return await BonusBalance.ForCustomerAsync(db, long.Parse(customerId), _db.Clock.GetUtcNow().UtcDateTime, CancellationToken.None);
    }

    [Fact]
    public async Task ARulesPreviewSaysWhichActiveRulesStackWithItOnATypicalCheck()
    {
        // Three store purchases this month, paid 1,000, 2,000 and 4,000: the typical (median) one paid 2,000.
        foreach (var (id, total) in new[] { ("s1", 1000m), ("s2", 2000m), ("s3", 4000m) })
            Assert.Equal(EventStatus.Accepted, (await SendAsync(Events.Purchase(id, Phone, total, _db.Clock.GetUtcNow().AddDays(-1), orderNumber: id))).Status);
        var rules = new EarningRuleService(_db.Factory, new Core.Data.WriteGate(),
            new Core.Segments.SegmentService(_db.Factory, new Core.Segments.SegmentVocabulary(_db.Factory, _db.Clock), _db.Options, _db.Clock), _db.Clock);
        RuleInput Draft(bool exclusive) => new()
        {
            Name = "Магазины +2 %", Kind = "purchase", Status = "draft", Percent = 2, Priority = 5, Exclusive = exclusive,
            Conditions = new RuleConditionsInput { Channels = ["store"] }, ActivationDays = 14, LifetimeDays = 365,
        };

        var stacked = await rules.StackingAsync(Draft(exclusive: false), null, CancellationToken.None);

        // The draft first (priority 5), then the base rule: 40 + 100 points on the 2,000 paid, 7 % together.
        Assert.Equal(2000m, stacked!.Paid);
        Assert.Equal([new EarningRuleService.StackedAccrual(null, 40m), new EarningRuleService.StackedAccrual("Base earning: 5 % of the paid amount", 100m)], stacked.Accruals);
        Assert.Equal(7m, stacked.CombinedPercent);
        // Exclusive, it is the only one that accrues.
        var alone = await rules.StackingAsync(Draft(exclusive: true), null, CancellationToken.None);
        Assert.Equal([new EarningRuleService.StackedAccrual(null, 40m)], alone!.Accruals);
    }

    [Fact]
    public async Task PurchaseAccruesFivePercentPendingThenActiveAfterFourteenDays()
    {
        var result = await SendAsync(Events.Purchase("p1", Phone, 1000.55m, _db.Clock.GetUtcNow()));

        Assert.Equal(EventStatus.Accepted, result.Status);
        Assert.Equal(new BonusBalance(Money.Zero, new Money(5002)), await BalanceAsync(result.CustomerId!)); // 5 % of 1000.55, rounded down

        _db.Clock.Advance(TimeSpan.FromDays(14));
        Assert.Equal(new BonusBalance(new Money(5002), Money.Zero), await BalanceAsync(result.CustomerId!));

        _db.Clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal(default, await BalanceAsync(result.CustomerId!));
    }

    [Fact]
    public async Task RedemptionAboveActiveBalanceIsRejectedAndNothingIsRecorded()
    {
        var first = await SendAsync(Events.Purchase("p1", Phone, 2000m, _db.Clock.GetUtcNow()));
        _db.Clock.Advance(TimeSpan.FromDays(15)); // 100 points active

        var result = await SendAsync(Events.Purchase("p2", Phone, 1000m, _db.Clock.GetUtcNow(), redeemed: 100.01m));

        Assert.Equal(EventStatus.Rejected, result.Status);
        Assert.Contains(result.Errors, e => e.Field == "order.bonusRedeemed");
        await using var db = _db.Open();
        Assert.Equal(1, await db.Orders.CountAsync());
        Assert.Equal(1, await db.CustomerEvents.CountAsync());
        Assert.Equal(new Money(10000), (await BalanceAsync(first.CustomerId!)).Active);
    }

    [Fact]
    public async Task AtMostHalfOfACheckCanBePaidWithPoints()
    {
        await SendAsync(Events.Purchase("p1", Phone, 10000m, _db.Clock.GetUtcNow()));
        _db.Clock.Advance(TimeSpan.FromDays(15)); // 500 points active

        var tooMuch = await SendAsync(Events.Purchase("p2", Phone, 600m, _db.Clock.GetUtcNow(), redeemed: 300.01m));
        var half = await SendAsync(Events.Purchase("p3", Phone, 600m, _db.Clock.GetUtcNow(), redeemed: 300m));

        Assert.Equal(EventStatus.Rejected, tooMuch.Status);
        Assert.Equal(EventStatus.Accepted, half.Status);
        var balance = await BalanceAsync(half.CustomerId!);
        Assert.Equal(new Money(20000), balance.Active);
        Assert.Equal(new Money(1500), balance.Pending); // 5 % of the 300 paid with money
    }

    [Fact]
    public async Task ConcurrentRedemptionsFromTwoInstancesNeverOverdraw()
    {
        var first = await SendAsync(Events.Purchase("p1", Phone, 2000m, _db.Clock.GetUtcNow()));
        _db.Clock.Advance(TimeSpan.FromDays(15)); // 100 points active
        var instances = Enumerable.Range(0, 6).Select(_ => _db.Ingestion()).ToList();

        var results = await Task.WhenAll(instances.Select((service, i) =>
            Task.Run(() => SendAsync(Events.Purchase($"r{i}", Phone, 200m, _db.Clock.GetUtcNow(), redeemed: 60m), service))));

        Assert.Single(results, r => r.Status == EventStatus.Accepted);
        Assert.Equal(new Money(4000), (await BalanceAsync(first.CustomerId!)).Active);
    }

    [Fact]
    public async Task PartialReturnsReverseAccrualAndRestoreRedeemedPointsInProportion()
    {
        await SendAsync(Events.Purchase("p1", Phone, 4000m, _db.Clock.GetUtcNow())); // 200 points
        _db.Clock.Advance(TimeSpan.FromDays(15));
        var buy = await SendAsync(Events.Purchase("p2", Phone, 1000m, _db.Clock.GetUtcNow(), redeemed: 200m, orderNumber: "ORD-2"));
        Assert.Equal(EventStatus.Accepted, buy.Status);
        Assert.Equal(new BonusBalance(Money.Zero, new Money(4000)), await BalanceAsync(buy.CustomerId!)); // 5 % of 800

        var half = await SendAsync(Events.Return("ret1", Phone, "ORD-2", 500m, _db.Clock.GetUtcNow()));
        Assert.Equal(EventStatus.Accepted, half.Status);
        Assert.Equal(new BonusBalance(new Money(10000), new Money(2000)), await BalanceAsync(buy.CustomerId!));

        var rest = await SendAsync(Events.Return("ret2", Phone, "ORD-2", 500m, _db.Clock.GetUtcNow()));
        Assert.Equal(EventStatus.Accepted, rest.Status);
        Assert.Equal(new BonusBalance(new Money(20000), Money.Zero), await BalanceAsync(buy.CustomerId!));

        var tooMuch = await SendAsync(Events.Return("ret3", Phone, "ORD-2", 0.01m, _db.Clock.GetUtcNow()));
        Assert.Equal(EventStatus.Rejected, tooMuch.Status);

        await using var db = _db.Open();
        var customer = await db.Customers.SingleAsync();
        Assert.Equal(400000, customer.LifetimeValueMinor); // 4000 + 800 paid − 800 refunded
        Assert.Equal(await db.BonusLots.SumAsync(l => l.RemainingMinor), await db.BonusLedger.SumAsync(e => e.AmountMinor));
    }

    [Fact]
    public async Task ReturnAfterPointsWereSpentStopsAtZeroAndWritesOffTheShortfall()
    {
        var buy = await SendAsync(Events.Purchase("p1", Phone, 2000m, _db.Clock.GetUtcNow(), orderNumber: "ORD-1")); // 100 points
        _db.Clock.Advance(TimeSpan.FromDays(15));
        Assert.Equal(EventStatus.Accepted, (await SendAsync(Events.Purchase("p2", Phone, 200m, _db.Clock.GetUtcNow(), redeemed: 100m))).Status);

        var ret = await SendAsync(Events.Return("ret", Phone, "ORD-1", 2000m, _db.Clock.GetUtcNow()));

        Assert.Equal(EventStatus.Accepted, ret.Status);
        var balance = await BalanceAsync(buy.CustomerId!);
        Assert.Equal(Money.Zero, balance.Active);
        Assert.Equal(Money.Zero, balance.Pending); // pending points go first: the 5 points of the second purchase were taken too
        await using var db = _db.Open();
        Assert.True(await db.BonusLedger.AnyAsync(e => e.Kind == BonusEntryKind.WriteOff));
        Assert.Equal(await db.BonusLots.SumAsync(l => l.RemainingMinor), await db.BonusLedger.SumAsync(e => e.AmountMinor));
    }

    [Fact]
    public async Task ReturnOfAnUnknownOrderIsRejected()
    {
        await SendAsync(Events.Purchase("p1", Phone, 100m, _db.Clock.GetUtcNow()));
        var result = await SendAsync(Events.Return("ret", Phone, "NO-SUCH", 10m, _db.Clock.GetUtcNow()));
        Assert.Equal(EventStatus.Rejected, result.Status);
        Assert.Contains(result.Errors, e => e.Field == "order.orderNumber");
    }

    [Fact]
    public async Task SingleUsePromoCodeCannotBeUsedTwice()
    {
        await using (var db = _db.Open())
        {
            db.PromoCodes.Add(new PromoCode { Code = "MOUSE10", Description = "10 % off", MaxUses = 1, IssuedAtUtc = _db.Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
        }

        var first = await SendAsync(Events.Purchase("p1", Phone, 100m, _db.Clock.GetUtcNow(), promo: "mouse10"));
        var second = await SendAsync(Events.Purchase("p2", Phone, 100m, _db.Clock.GetUtcNow(), promo: "MOUSE10"));
        var unknown = await SendAsync(Events.Purchase("p3", Phone, 100m, _db.Clock.GetUtcNow(), promo: "NOPE"));

        Assert.Equal(EventStatus.Accepted, first.Status);
        Assert.Equal(EventStatus.Rejected, second.Status);
        Assert.Equal(EventStatus.Rejected, unknown.Status);
        await using var check = _db.Open();
        Assert.Equal(1, (await check.PromoCodes.SingleAsync()).UsedCount);
    }

    [Fact]
    public async Task LifecyclePutsActivationAndExpiryOnTheTimeline()
    {
        var buy = await SendAsync(Events.Purchase("p1", Phone, 1000m, _db.Clock.GetUtcNow()));
        var lifecycle = new BonusLifecycle(_db.Factory, new Data.WriteGate(), _db.Clock, _db.Notifier);

        _db.Clock.Advance(TimeSpan.FromDays(14));
        Assert.Equal(1, await lifecycle.RunOnceAsync(CancellationToken.None));
        _db.Clock.Advance(TimeSpan.FromDays(366));
        Assert.Equal(1, await lifecycle.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await lifecycle.RunOnceAsync(CancellationToken.None));

        await using var db = _db.Open();
        var types = await db.CustomerEvents.Where(e => e.CustomerId == long.Parse(buy.CustomerId!)).Select(e => e.Type).ToListAsync();
        Assert.Contains(Timeline.EventType.BonusActivated, types);
        Assert.Contains(Timeline.EventType.BonusExpired, types);
        Assert.Equal(0, await db.BonusLedger.SumAsync(e => e.AmountMinor));
    }

    public void Dispose() => _db.Dispose();
}
