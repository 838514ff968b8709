using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Tests;

/// <summary>The rule engine alone: which rules accrue on a purchase, on what, and in which order (MANAGEMENT-API.md, loyalty).</summary>
public sealed class EarningRuleEngineTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 10, 0, 0, DateTimeKind.Utc);

    private static EarningRule Rule(int id, int priority, int percentBp, bool exclusive = false, EarningRuleConditions? conditions = null, int? share = null) => new()
    {
        Id = id, Name = $"rule {id}", Status = EarningRuleStatus.Active, Kind = EarningRuleKind.Purchase, Priority = priority, Exclusive = exclusive,
        PercentBasisPoints = percentBp, Conditions = conditions ?? new(), ActivationDelayDays = 14, LifetimeDays = 365, MaxRedeemShareBasisPoints = share,
    };

    private static readonly EarningRule Default = Rule(1, 0, 500);

    private static PurchaseFacts Purchase(decimal total, decimal redeemed = 0, Channel channel = Channel.App, string tier = "base", DateTime? at = null,
        params LinePayload[] lines) =>
        new(channel, "MSK-01", lines.Length > 0 ? lines : [new LinePayload("SKU", "Thing", "Books", "Acme", 1, Money.FromMajor(total).Minor)],
            Money.FromMajor(total), Money.FromMajor(redeemed), at ?? Now, tier, new HashSet<int>());

    private static LinePayload Line(string category, decimal unitPrice, int quantity = 1, string brand = "Acme") =>
        new("SKU-" + category, category, category, brand, quantity, Money.FromMajor(unitPrice).Minor);

    [Fact]
    public void RulesAccrueByPriorityEachItsOwnLotAndAnExclusiveRuleStopsTheRest()
    {
        var promo = Rule(2, 10, 1000);
        var policy = new LoyaltyPolicy([Default, promo, Rule(3, 5, 300)], 0.5m);
        var accruals = policy.Accruals(Purchase(1000));
        Assert.Equal([2, 3, 1], accruals.Select(a => a.Rule.Id));
        Assert.Equal([10000L, 3000, 5000], accruals.Select(a => a.Amount.Minor));

        promo.Exclusive = true;
        var exclusive = new LoyaltyPolicy([Default, promo, Rule(3, 5, 300)], 0.5m).Accruals(Purchase(1000));
        Assert.Equal([2], exclusive.Select(a => a.Rule.Id));

        // Equal priority: the lower id first; an exclusive rule that does not hold stops nothing.
        var tie = new LoyaltyPolicy([Rule(7, 1, 100), Rule(4, 1, 200), Rule(9, 3, 900, exclusive: true, new() { Channels = [Channel.Store] })], 0.5m);
        Assert.Equal([4, 7], tie.Accruals(Purchase(100)).Select(a => a.Rule.Id));
    }

    [Fact]
    public void CategoryRulesAccrueOnTheirLinesShareOfThePaidAmount()
    {
        var electronics = Rule(2, 10, 1000, conditions: new() { Categories = ["electronics"] }); // matched ignoring case
        var policy = new LoyaltyPolicy([Default, electronics], 0.5m);
        // 1,000 total, 200 paid with points: 800 paid; Electronics lines are 600 of 1,000 → 480 paid on them.
        var accruals = policy.Accruals(Purchase(1000, redeemed: 200, lines: [Line("Electronics", 300, quantity: 2), Line("Books", 400)]));
        Assert.Equal(4800, accruals.Single(a => a.Rule.Id == 2).Amount.Minor);
        Assert.Equal(4000, accruals.Single(a => a.Rule.Id == 1).Amount.Minor); // the default rule takes the whole paid amount

        // No matching line: the rule does not hold. Rounding is down to a kopeck: 10 % of 333.33 × 1/3 = 11.111 → 11.11.
        Assert.DoesNotContain(policy.Accruals(Purchase(500, lines: [Line("Books", 500)])), a => a.Rule.Id == 2);
        var thirds = policy.Accruals(Purchase(333.33m, lines: [Line("Electronics", 111.11m), Line("Books", 222.22m)]));
        Assert.Equal(1111, thirds.Single(a => a.Rule.Id == 2).Amount.Minor);
    }

    [Fact]
    public void TiersChannelsStoresMinimumAndWindowAreConditions()
    {
        var from = Now.AddDays(-1);
        var gold = Rule(2, 10, 1000, conditions: new()
        {
            Tiers = ["Gold"], Channels = [Channel.App], StoreCodes = ["msk-01"], MinTotalMinor = 50_000, ValidFromUtc = from, ValidToUtc = from.AddDays(7),
        });
        var policy = new LoyaltyPolicy([gold], 0.5m);
        bool Accrues(PurchaseFacts p) => policy.Accruals(p).Count == 1;

        Assert.True(Accrues(Purchase(500, tier: "gold")));
        Assert.False(Accrues(Purchase(500, tier: "Silver")));
        Assert.False(Accrues(Purchase(500, tier: "Gold", channel: Channel.Store)));
        Assert.False(Accrues(Purchase(499.99m, tier: "Gold")));
        Assert.True(Accrues(Purchase(500, tier: "Gold", at: from)));                // from is inside
        Assert.False(Accrues(Purchase(500, tier: "Gold", at: from.AddDays(7))));    // to is outside
        Assert.False(Accrues(Purchase(500, tier: "Gold", at: from.AddTicks(-1))));
        Assert.False(Accrues(Purchase(500, tier: "Gold") with { StoreCode = "SPB-01" }));
    }

    [Fact]
    public void OnlyActiveRulesAccrueAndTheLowestMatchingShareLimitsRedemption()
    {
        var paused = Rule(2, 10, 1000);
        paused.Status = EarningRuleStatus.Paused;
        var draft = Rule(3, 10, 1000);
        draft.Status = EarningRuleStatus.Draft;
        var appShare = Rule(4, 1, 0, conditions: new() { Channels = [Channel.App] }, share: 3000);
        var strictInStores = Rule(5, 1, 0, conditions: new() { Channels = [Channel.Store] }, share: 1000);
        var policy = new LoyaltyPolicy([Default, paused, draft, appShare, strictInStores], 0.5m);

        Assert.Equal([1], policy.Accruals(Purchase(100)).Select(a => a.Rule.Id)); // percent 0 rules only set a share
        Assert.Equal(3000, policy.MaxRedeemShareBasisPoints(Purchase(100)));
        Assert.Equal(1000, policy.MaxRedeemShareBasisPoints(Purchase(100, channel: Channel.Store)));
        Assert.Equal(5000, policy.MaxRedeemShareBasisPoints(Purchase(100, channel: Channel.Online)));
    }
}

/// <summary>The rule engine inside ingestion and the background job, on a real SQLite file.</summary>
public sealed class EarningRuleIngestionTests : IDisposable
{
    private readonly TestDatabase _db = new();

    private async Task AddAsync(params EarningRule[] rules)
    {
        await using var db = _db.Open();
        db.EarningRules.AddRange(rules);
        await db.SaveChangesAsync();
    }

    private async Task<EventResult> SendAsync(EventRequest e) => (await _db.Ingestion().IngestAsync("till", [e], CancellationToken.None)).Single();

    [Fact]
    public async Task AWelcomeRuleAccruesOnceWhenIngestionCreatesTheCustomerWithATimelineItem()
    {
        await AddAsync(new EarningRule { Name = "Welcome 500", Kind = EarningRuleKind.Welcome, Status = EarningRuleStatus.Active, PointsMinor = 50_000, LifetimeDays = 90 });
        var first = await SendAsync(Events.View("v1", new CustomerData { Phone = "+79161234567" }, _db.Clock.GetUtcNow()));
        await SendAsync(Events.View("v2", new CustomerData { Phone = "+79161234567" }, _db.Clock.GetUtcNow()));
        await SendAsync(Events.Purchase("p1", "+79161234567", 100, _db.Clock.GetUtcNow()));

        await using var db = _db.Open();
        var id = long.Parse(first.CustomerId!);
        var welcome = await db.BonusLots.Where(l => l.CustomerId == id && l.Kind == BonusLotKind.Welcome).ToListAsync();
        Assert.Equal(50_000, Assert.Single(welcome).AmountMinor);
        Assert.Equal(1, welcome[0].RuleVersion);
        Assert.Single(await db.EarningRuleGrants.Where(g => g.CustomerId == id).ToListAsync());
        var item = Assert.Single(await db.CustomerEvents.Where(e => e.CustomerId == id && e.Type == EventType.BonusGranted).ToListAsync());
        Assert.Contains("Welcome 500", item.Summary);
        Assert.Equal(new Money(50_000), (await BonusBalance.ForCustomerAsync(db, id, _db.Clock.GetUtcNow().UtcDateTime, default)).Active);
    }

    [Fact]
    public async Task ASegmentRuleAccruesOnlyToItsMembersAndTheSegmentCannotBeArchivedUnderIt()
    {
        var segments = SegmentFixture.Service(_db);
        var ingestion = new EventIngestionService(_db.Factory, new EventValidator(_db.Normalizer, _db.Options, _db.Clock), new WriteGate(), _db.Family.CreateWriterConnection(),
            _db.Options, _db.Clock, _db.Notifier, Microsoft.Extensions.Logging.Abstractions.NullLogger<EventIngestionService>.Instance, segments);
        async Task<EventResult> Send(EventRequest e) => (await ingestion.IngestAsync("till", [e], default)).Single();
        await Send(Events.View("v1", new CustomerData { Phone = "+79161234567", City = "Москва" }, _db.Clock.GetUtcNow()));
        await Send(Events.View("v2", new CustomerData { Phone = "+79161234568", City = "Казань" }, _db.Clock.GetUtcNow()));
        // The segment is made once the cities exist (the builder's city list is read at most once a minute).
        var moscow = await segments.CreateAsync("Moscow", null, SegmentService.ParseOrThrow("""{"attr":"city","op":"eq","value":"москва"}"""), "test", default);
        await AddAsync(new EarningRule
        {
            Name = "Moscow +2 %", Kind = EarningRuleKind.Purchase, Status = EarningRuleStatus.Active, Priority = 5, PercentBasisPoints = 200,
            Conditions = new() { SegmentId = moscow.Segment.Id }, LifetimeDays = 365,
        });
        // Two purchases in one batch, one per customer: membership is read once for the batch.
        var results = await ingestion.IngestAsync("till", [Events.Purchase("p1", "+79161234567", 1000, _db.Clock.GetUtcNow()),
            Events.Purchase("p2", "+79161234568", 1000, _db.Clock.GetUtcNow())], default);
        Assert.All(results, r => Assert.Equal(EventStatus.Accepted, r.Status));

        await using var db = _db.Open();
        var byRule = await db.BonusLots.Where(l => l.RuleId == 2).Select(l => l.CustomerId).ToListAsync();
        Assert.Equal([long.Parse(results[0].CustomerId!)], byRule);
        await Assert.ThrowsAsync<SegmentInUseException>(() => segments.ArchiveAsync(moscow.Segment.Id, "test", default));
    }

    [Fact]
    public async Task BirthdayPointsComeOnceAYearOnTheDay()
    {
        await AddAsync(new EarningRule { Name = "Birthday 300", Kind = EarningRuleKind.Birthday, Status = EarningRuleStatus.Active, PointsMinor = 30_000, LifetimeDays = 30 });
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(_db.Clock.GetUtcNow().UtcDateTime, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")));
        var born = new CustomerData { Phone = "+79161234567", BirthDate = today.AddYears(-30).ToString("yyyy-MM-dd") };
        var other = new CustomerData { Phone = "+79161234568", BirthDate = today.AddYears(-30).AddDays(1).ToString("yyyy-MM-dd") };
        var customer = await SendAsync(Events.View("v1", born, _db.Clock.GetUtcNow()));
        await SendAsync(Events.View("v2", other, _db.Clock.GetUtcNow()));
        var job = new BirthdayBonuses(_db.Factory, new WriteGate(), _db.Clock, _db.Options, _db.Notifier);

        Assert.Equal(1, await job.RunOnceAsync(default));
        Assert.Equal(0, await job.RunOnceAsync(default)); // the same day again: nothing
        _db.Clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal(1, await job.RunOnceAsync(default)); // next year's birthday

        await using var db = _db.Open();
        var id = long.Parse(customer.CustomerId!);
        Assert.Equal(2, await db.BonusLots.CountAsync(l => l.CustomerId == id && l.Kind == BonusLotKind.Birthday));
        Assert.Equal(2, await db.CustomerEvents.CountAsync(e => e.CustomerId == id && e.Type == EventType.BonusGranted));
        Assert.Equal(2, await db.BonusLots.CountAsync());
    }

    [Fact]
    public async Task AReturnAfterPartialRedemptionReversesItsShareAcrossTheRulesLots()
    {
        await AddAsync(new EarningRule
        {
            Name = "x2 on Laptops", Kind = EarningRuleKind.Purchase, Status = EarningRuleStatus.Active, Priority = 10, PercentBasisPoints = 1000,
            Conditions = new() { Categories = ["Laptops"] }, ActivationDelayDays = 0, LifetimeDays = 365,
        });
        const string phone = "+79161234567";
        var first = await SendAsync(Events.Purchase("p1", phone, 2000, _db.Clock.GetUtcNow()));       // 200 (10 %, active) + 100 (5 %, pending)
        var second = await SendAsync(Events.Purchase("p2", phone, 1000, _db.Clock.GetUtcNow(), redeemed: 200)); // 800 paid: 80 + 40
        Assert.Equal(EventStatus.Accepted, second.Status);
        var id = long.Parse(first.CustomerId!);

        var ret = await SendAsync(Events.Return("r1", phone, "p2", 500, _db.Clock.GetUtcNow())); // half of order p2
        Assert.Equal(EventStatus.Accepted, ret.Status);

        await using var db = _db.Open();
        var order = await db.Orders.SingleAsync(o => o.OrderNumber == "p2");
        Assert.Equal(12_000, order.AccruedMinor);
        Assert.Equal(6_000, order.AccrualReversedMinor);   // half of 120 points accrued by the two rules
        Assert.Equal(10_000, order.RedeemRestoredMinor);   // half of the 200 points paid with
        var lots = await db.BonusLots.Where(l => l.OrderId == order.Id && l.Kind == BonusLotKind.Accrual).OrderBy(l => l.RuleId).ToListAsync();
        Assert.Equal([1, 2], lots.Select(l => l.RuleId!.Value));
        Assert.Equal([4_000L, 8_000], lots.Select(l => l.AmountMinor));
        var balance = await BonusBalance.ForCustomerAsync(db, id, _db.Clock.GetUtcNow().UtcDateTime, default);
        // 300 + 120 accrued − 200 redeemed − 60 reversed + 100 restored = 260.
        Assert.Equal(26_000, balance.Active.Minor + balance.Pending.Minor);
        var ledger = await db.BonusLedger.Where(e => e.CustomerId == id).SumAsync(e => e.AmountMinor);
        Assert.Equal(26_000, ledger);
    }

    [Fact]
    public async Task TiersFollowTheTwelveMonthPaidSpendAsPurchasesAndReturnsArriveAndAsTheyAgeOut()
    {
        await using (var db = _db.Open())
        {
            db.Tiers.AddRange(new LoyaltyTier { Name = "Bronze", MinSpentMinor = 0 }, new LoyaltyTier { Name = "Silver", MinSpentMinor = 1_000_000 },
                new LoyaltyTier { Name = "Gold", MinSpentMinor = 5_000_000 });
            await db.SaveChangesAsync();
        }
        const string phone = "+79161234567";
        async Task<string> TierAsync(string id)
        {
            await using var db = _db.Open();
            return await db.Customers.Where(c => c.Id == long.Parse(id)).Select(c => c.Tier).SingleAsync();
        }
        var first = await SendAsync(Events.View("v0", new CustomerData { Phone = phone }, _db.Clock.GetUtcNow()));
        Assert.Equal("Bronze", await TierAsync(first.CustomerId!));
        await SendAsync(Events.Purchase("p1", phone, 60_000, _db.Clock.GetUtcNow()));
        Assert.Equal("Gold", await TierAsync(first.CustomerId!));
        await SendAsync(Events.Return("r1", phone, "p1", 45_000, _db.Clock.GetUtcNow()));
        Assert.Equal("Silver", await TierAsync(first.CustomerId!));

        _db.Clock.Advance(TimeSpan.FromDays(366));
        var tiers = new TierService(_db.Factory, new WriteGate(), _db.Clock);
        Assert.Equal(1, await tiers.RecomputeAgedAsync(default));
        Assert.Equal("Bronze", await TierAsync(first.CustomerId!));
    }

    public void Dispose() => _db.Dispose();
}

/// <summary>Promo code limits when purchases naming the code arrive at the same moment (one app, its requests in parallel).</summary>
public sealed class PromoCodeLimitTests : IDisposable
{
    private readonly TestDatabase _db = new();

    private async Task<PromoCampaign> CampaignAsync(string code, int? usesPerCode, int? usesPerCustomer, long? customerId = null, List<Channel>? channels = null)
    {
        await using var db = _db.Open();
        var campaign = new PromoCampaign
        {
            Name = code, Kind = PromoCampaignKind.Shared, DiscountPercent = 10, UsesPerCode = usesPerCode, UsesPerCustomer = usesPerCustomer,
            CodeCount = 1, Channels = channels ?? [], CreatedAtUtc = _db.Clock.GetUtcNow().UtcDateTime,
        };
        db.PromoCampaigns.Add(campaign);
        await db.SaveChangesAsync();
        db.PromoCodes.Add(new PromoCode { Code = code, PromoCampaignId = campaign.Id, MaxUses = usesPerCode, DiscountPercent = 10, CustomerId = customerId });
        await db.SaveChangesAsync();
        return campaign;
    }

    private async Task<List<EventResult>> ConcurrentlyAsync(Func<int, EventRequest> purchase, int count)
    {
        var ingestion = _db.Ingestion();
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => ingestion.IngestAsync("till", [purchase(i)], CancellationToken.None))));
        return results.Select(r => r.Single()).ToList();
    }

    [Fact]
    public async Task FiftyConcurrentPurchasesWithOneSingleUseCodeAcceptExactlyOne()
    {
        await CampaignAsync("ONCE2026", usesPerCode: 1, usesPerCustomer: null);
        var results = await ConcurrentlyAsync(i => Events.Purchase($"p{i}", $"+7916{i:D7}", 1000, _db.Clock.GetUtcNow(), promo: "once 2026"), 50);

        Assert.Single(results, r => r.Status == EventStatus.Accepted);
        var rejected = results.Where(r => r.Status == EventStatus.Rejected).ToList();
        Assert.Equal(49, rejected.Count);
        Assert.All(rejected, r => Assert.Contains(r.Errors, e => e.Field == "order.promoCode" && e.Message.Contains("already been used")));
        await using var db = _db.Open();
        Assert.Equal(1, (await db.PromoCodes.SingleAsync()).UsedCount);
        Assert.Equal(1, await db.PromoCodeRedemptions.CountAsync());
        Assert.Equal(1, await db.Orders.CountAsync());
    }

    [Fact]
    public async Task APerCustomerLimitHoldsUnderConcurrencyAndOtherLimitsSayWhichLimit()
    {
        await CampaignAsync("TWICE", usesPerCode: null, usesPerCustomer: 2);
        var results = await ConcurrentlyAsync(i => Events.Purchase($"p{i}", "+79161234567", 1000, _db.Clock.GetUtcNow(), promo: "TWICE"), 20);
        Assert.Equal(2, results.Count(r => r.Status == EventStatus.Accepted));
        Assert.All(results.Where(r => r.Status == EventStatus.Rejected), r => Assert.Contains(r.Errors, e => e.Message.Contains("limit per customer")));
        // Another customer still may.
        var other = await _db.Ingestion().IngestAsync("till", [Events.Purchase("q1", "+79161234568", 1000, _db.Clock.GetUtcNow(), promo: "TWICE")], default);
        Assert.Equal(EventStatus.Accepted, other.Single().Status);

        await CampaignAsync("APPONLY", usesPerCode: null, usesPerCustomer: null, channels: [Channel.App]);
        var inStore = (await _db.Ingestion().IngestAsync("till", [Events.Purchase("s1", "+79161234568", 1000, _db.Clock.GetUtcNow(), promo: "apponly")], default)).Single();
        Assert.Equal(EventStatus.Rejected, inStore.Status);
        Assert.Contains(inStore.Errors, e => e.Message.Contains("not accepted in channel store"));

        await CampaignAsync("MINE", usesPerCode: 1, usesPerCustomer: null, customerId: long.Parse(other.Single().CustomerId!));
        var stranger = (await _db.Ingestion().IngestAsync("till", [Events.Purchase("m1", "+79161234567", 1000, _db.Clock.GetUtcNow(), promo: "MINE")], default)).Single();
        Assert.Contains(stranger.Errors, e => e.Message.Contains("issued to another customer"));
    }

    public void Dispose() => _db.Dispose();
}
