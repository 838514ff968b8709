using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Tests;

/// <summary>Manual adjustments of a customer's points and the ledger the 360° card shows, on a real SQLite file.</summary>
public sealed class BonusAdjustmentTests : IDisposable
{
    private const string Phone = "+79161234567";
    private readonly TestDatabase _db = new();

    private BonusAdjustments Adjustments() => new(_db.Factory, new WriteGate(), _db.Clock, _db.Notifier);
    private CustomerLedger Ledger() => new(_db.Factory, _db.Clock);
    private DateTime Now => _db.Clock.GetUtcNow().UtcDateTime;

    /// <summary>A customer with 100 points active (a 2,000 purchase 15 days ago) and 50 pending (a 1,000 purchase now).</summary>
    private async Task<long> CustomerWithPointsAsync()
    {
        var ingestion = _db.Ingestion();
        var first = await ingestion.IngestAsync("till", [Events.Purchase("p1", Phone, 2000m, _db.Clock.GetUtcNow(), orderNumber: "A-1")], CancellationToken.None);
        _db.Clock.Advance(TimeSpan.FromDays(15));
        await ingestion.IngestAsync("till", [Events.Purchase("p2", Phone, 1000m, _db.Clock.GetUtcNow(), orderNumber: "A-2")], CancellationToken.None);
        return long.Parse(first.Single().CustomerId!);
    }

    private async Task<BonusBalance> BalanceAsync(long customerId)
    {
        await using var db = _db.Open();
        return await BonusBalance.ForCustomerAsync(db, customerId, Now, CancellationToken.None);
    }

    [Fact]
    public async Task PositiveAdjustmentIsANewLotActiveAtOnceForAYearAuditedAndOnTheTimeline()
    {
        var id = await CustomerWithPointsAsync();
        var changed = new List<long>();
        _db.Notifier.Changed += ids => changed.AddRange(ids);

        var result = await Adjustments().AdjustAsync(id, new Money(2550), "  Apology for a late delivery ", "marketer@omniconsole.demo", CancellationToken.None);

        Assert.Equal(AdjustmentOutcome.Done, result.Outcome);
        Assert.Equal(new Money(12550), result.ActiveAfter);
        Assert.Equal(new BonusBalance(new Money(12550), new Money(5000)), await BalanceAsync(id));
        await using var db = _db.Open();
        var lot = await db.BonusLots.SingleAsync(l => l.Kind == BonusLotKind.Adjustment);
        Assert.Equal((Now, Now.AddDays(365), 2550L), (lot.ActivatesAtUtc, lot.ExpiresAtUtc, lot.RemainingMinor));
        var entry = await db.BonusLedger.SingleAsync(e => e.Kind == BonusEntryKind.Adjustment);
        Assert.Equal((2550L, lot.Id, "Apology for a late delivery"), (entry.AmountMinor, entry.LotId!.Value, entry.Note));
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == AuditAction.BonusAdjusted);
        Assert.Equal(("marketer@omniconsole.demo", id, "Points adjusted by +25.50: Apology for a late delivery"), (audit.Actor, audit.CustomerId!.Value, audit.Details));
        var item = await db.CustomerEvents.SingleAsync(e => e.Type == EventType.BonusAdjusted);
        Assert.Equal((Channel.System, id), (item.Channel, item.CustomerId));
        Assert.Equal("+25.50 points adjusted by staff: Apology for a late delivery", item.Summary);
        Assert.Contains(id, changed); // the open card refreshes
    }

    [Fact]
    public async Task NegativeAdjustmentTakesActivePointsSoonestExpiringFirst()
    {
        var id = await CustomerWithPointsAsync();
        await Adjustments().AdjustAsync(id, new Money(3000), "goodwill", "admin", CancellationToken.None); // expires after the purchase's lot

        var result = await Adjustments().AdjustAsync(id, new Money(-11000), "double accrual by the till", "admin", CancellationToken.None);

        Assert.Equal(AdjustmentOutcome.Done, result.Outcome);
        Assert.Equal(new BonusBalance(new Money(2000), new Money(5000)), await BalanceAsync(id)); // pending points untouched
        await using var db = _db.Open();
        Assert.Equal(0, (await db.BonusLots.SingleAsync(l => l.RuleId != null && l.Order!.OrderNumber == "A-1")).RemainingMinor);
        Assert.Equal(2000, (await db.BonusLots.SingleAsync(l => l.Kind == BonusLotKind.Adjustment)).RemainingMinor);
        Assert.Equal(-11000, (await db.BonusLedger.Where(e => e.Kind == BonusEntryKind.Adjustment).OrderBy(e => e.Id).LastAsync()).AmountMinor);
    }

    [Fact]
    public async Task AdjustmentBelowZeroIsRefusedAndNothingIsWritten()
    {
        var id = await CustomerWithPointsAsync();
        long version;
        await using (var db = _db.Open()) version = (await db.Customers.SingleAsync(c => c.Id == id)).LoyaltyVersion;

        // 100 active: pending points cannot be taken, so 100.01 would go below zero.
        var result = await Adjustments().AdjustAsync(id, new Money(-10001), "correction", "admin", CancellationToken.None);

        Assert.Equal(AdjustmentOutcome.BelowZero, result.Outcome);
        Assert.Equal(new Money(10000), result.ActiveAfter);
        Assert.Equal(new BonusBalance(new Money(10000), new Money(5000)), await BalanceAsync(id));
        await using var check = _db.Open();
        Assert.Equal(0, await check.BonusLedger.CountAsync(e => e.Kind == BonusEntryKind.Adjustment));
        Assert.Equal(0, await check.AuditEntries.CountAsync(a => a.Action == AuditAction.BonusAdjusted));
        Assert.Equal(0, await check.CustomerEvents.CountAsync(e => e.Type == EventType.BonusAdjusted));
        Assert.Equal(version, (await check.Customers.SingleAsync(c => c.Id == id)).LoyaltyVersion);
    }

    [Theory]
    [InlineData(0, "reason", AdjustmentOutcome.NoAmount)]
    [InlineData(100, "  ", AdjustmentOutcome.ReasonRequired)]
    [InlineData(100_000_001, "reason", AdjustmentOutcome.TooLarge)]
    public async Task BadAdjustmentsAreRefusedWithAReason(long minor, string reason, AdjustmentOutcome expected)
    {
        var id = await CustomerWithPointsAsync();
        Assert.Equal(expected, (await Adjustments().AdjustAsync(id, new Money(minor), reason, "admin", CancellationToken.None)).Outcome);
        Assert.Equal(AdjustmentOutcome.CustomerNotFound, (await Adjustments().AdjustAsync(id + 1000, new Money(100), "x", "admin", CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task ConcurrentDebitsFromTwoInstancesNeverOverdraw()
    {
        var id = await CustomerWithPointsAsync(); // 100 active
        // Each its own write gate: like six app instances. On SQLite the transaction's snapshot already refuses a writer that
        // read before another committed (SQLITE_BUSY_SNAPSHOT); the customer's LoyaltyVersion token is what refuses it on SQL Server.
        var instances = Enumerable.Range(0, 6).Select(_ => Adjustments()).ToList();

        var results = await Task.WhenAll(instances.Select(a => Task.Run(() => a.AdjustAsync(id, new Money(-6000), "correction", "admin", CancellationToken.None))));

        Assert.Single(results, r => r.Outcome == AdjustmentOutcome.Done);
        Assert.All(results.Where(r => r.Outcome != AdjustmentOutcome.Done), r => Assert.Contains(r.Outcome, new[] { AdjustmentOutcome.ChangedMeanwhile, AdjustmentOutcome.BelowZero }));
        Assert.Equal(new Money(4000), (await BalanceAsync(id)).Active);
    }

    [Fact]
    public async Task LedgerIsNewestFirstWithARunningBalanceRuleNamesAndPendingDates()
    {
        var id = await CustomerWithPointsAsync();
        await Adjustments().AdjustAsync(id, new Money(-2500), "correction", "admin", CancellationToken.None);

        var all = await Ledger().ReadAsync(id, 0, 10, CancellationToken.None);

        Assert.Equal(3, all.Total);
        Assert.Equal([BonusEntryKind.Adjustment, BonusEntryKind.Accrual, BonusEntryKind.Accrual], all.Rows.Select(r => r.Kind));
        Assert.Equal([12500L, 15000L, 10000L], all.Rows.Select(r => r.Balance.Minor)); // 100 + 50 − 25, newest first
        Assert.Equal("Base earning: 5 % of the paid amount (v1)", all.Rows[1].RuleName); // the rule and the version that made the lot
        Assert.Equal(Now.AddDays(14), all.Rows[1].PendingUntilUtc); // the second purchase's points are still pending
        Assert.Null(all.Rows[2].PendingUntilUtc);
        Assert.Equal(["A-2", "A-1"], all.Rows.Skip(1).Select(r => r.OrderNumber));
        Assert.Equal(["correction", null, null], all.Rows.Select(r => r.Note)); // an accrual's note would only repeat its rule

        // A later page continues the balance where the first one ended.
        var second = await Ledger().ReadAsync(id, 2, 10, CancellationToken.None);
        Assert.Equal(10000, second.Rows.Single().Balance.Minor);
    }

    [Fact]
    public async Task AnAccrualReturnedBeforeActivationIsNotShownAsPending()
    {
        var id = await CustomerWithPointsAsync();
        await _db.Ingestion().IngestAsync("till", [Events.Return("r1", Phone, "A-2", 1000m, _db.Clock.GetUtcNow())], CancellationToken.None);

        var rows = (await Ledger().ReadAsync(id, 0, 10, CancellationToken.None)).Rows;

        Assert.Equal([BonusEntryKind.AccrualReversal, BonusEntryKind.Accrual, BonusEntryKind.Accrual], rows.Select(r => r.Kind));
        Assert.All(rows, r => Assert.Null(r.PendingUntilUtc));
        Assert.Equal(10000, rows[0].Balance.Minor);
    }

    [Fact]
    public async Task EveryNoteTheLoyaltyEffectsWriteIsOneTheCardTranslates()
    {
        var id = await CustomerWithPointsAsync();
        var ingestion = _db.Ingestion();
        await ingestion.IngestAsync("till", [Events.Purchase("p3", Phone, 1000m, _db.Clock.GetUtcNow(), redeemed: 100m, orderNumber: "A-3")], CancellationToken.None);
        // A-1's 100 points were spent on A-3: its return takes the pending points and writes off the rest.
        await ingestion.IngestAsync("till", [Events.Return("r1", Phone, "A-1", 2000m, _db.Clock.GetUtcNow())], CancellationToken.None);
        await Adjustments().AdjustAsync(id, new Money(1000), "goodwill", "admin", CancellationToken.None);
        _db.Clock.Advance(TimeSpan.FromDays(400));
        await new BonusLifecycle(_db.Factory, new WriteGate(), _db.Clock, _db.Notifier).RunOnceAsync(CancellationToken.None);

        var rows = (await Ledger().ReadAsync(id, 0, 100, CancellationToken.None)).Rows;

        Assert.Superset(new HashSet<BonusEntryKind> { BonusEntryKind.Redemption, BonusEntryKind.AccrualReversal, BonusEntryKind.WriteOff, BonusEntryKind.Expiry },
            rows.Select(r => r.Kind).ToHashSet());
        Assert.All(rows.Where(r => r.Kind is not (BonusEntryKind.Accrual or BonusEntryKind.Adjustment)),
            r => Assert.StartsWith("«", LedgerNotes.Known.Translate(r.Note, t => "«" + t, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task LedgerShowsPointsExpiringInThirtyDays()
    {
        var id = await CustomerWithPointsAsync();
        _db.Clock.Advance(TimeSpan.FromDays(330)); // the first lot (active on day 14, for 365 days) expires in 34 days
        Assert.Equal(new CustomerLedger.Expiring(Money.Zero, null), await Ledger().ExpiringAsync(id, CancellationToken.None));

        _db.Clock.Advance(TimeSpan.FromDays(10));
        var expiring = await Ledger().ExpiringAsync(id, CancellationToken.None);

        Assert.Equal(new Money(10000), expiring.Points);
        Assert.Equal(new DateTime(2026, 6, 15, 10, 0, 0, DateTimeKind.Utc).AddDays(365), expiring.FirstUtc);
    }

    public void Dispose() => _db.Dispose();
}
