using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Timeline;
using OmniConsole.DemoData;

namespace OmniConsole.Core.Tests;

/// <summary>The demo retailer is consistent: balances, ledger, purchase figures and the showcase customers agree.</summary>
public sealed class DemoDataTests : IDisposable
{
    private readonly TestDatabase _db = new();

    [Fact]
    public async Task DemoDataIsConsistentAndHoldsTheShowcaseJourneys()
    {
        var now = _db.Clock.GetUtcNow().UtcDateTime;
        await using (var db = _db.Open())
            Assert.True(await new DemoDataSeeder().SeedIfEmptyAsync(db, now, CancellationToken.None));

        await using var read = _db.Open();
        Assert.Equal(DemoDataSeeder.DemoCustomers, await read.Customers.CountAsync());
        Assert.InRange(await read.CustomerEvents.CountAsync(), DemoDataSeeder.DemoEvents * 8 / 10, DemoDataSeeder.DemoEvents * 12 / 10);

        // Every customer's points left in lots are exactly what their ledger adds up to.
        var lots = await read.BonusLots.GroupBy(l => l.CustomerId).Select(g => new { g.Key, Sum = g.Sum(l => l.RemainingMinor) }).ToDictionaryAsync(x => x.Key, x => x.Sum);
        var ledger = await read.BonusLedger.GroupBy(l => l.CustomerId).Select(g => new { g.Key, Sum = g.Sum(l => l.AmountMinor) }).ToDictionaryAsync(x => x.Key, x => x.Sum);
        Assert.Equal(lots.OrderBy(p => p.Key), ledger.OrderBy(p => p.Key));
        // The default rule's running total is what its lots accrued.
        var accrued = await read.BonusLots.Where(l => l.RuleId == 1).SumAsync(l => l.AmountMinor);
        Assert.True(accrued > 0);
        Assert.Equal(accrued, (await read.EarningRules.SingleAsync(r => r.Id == 1)).AccruedMinor);

        // Purchase figures on the customer row match the orders.
        var orders = await read.Orders.Where(o => o.Status == OrderStatus.Purchased).GroupBy(o => o.CustomerId)
            .Select(g => new { g.Key, Count = g.Count(), Last = g.Max(o => o.OccurredAtUtc) }).ToDictionaryAsync(x => x.Key);
        var customers = await read.Customers.Where(c => c.PurchaseCount > 0).Select(c => new { c.Id, c.PurchaseCount, c.LastPurchaseAtUtc }).ToListAsync();
        Assert.Equal(orders.Count, customers.Count);
        Assert.All(customers, c => Assert.Equal((orders[c.Id].Count, orders[c.Id].Last), (c.PurchaseCount, c.LastPurchaseAtUtc!.Value)));

        // Every client event type and channel appears; the showcase customers are there with their stories.
        var types = await read.CustomerEvents.Select(e => e.Type).Distinct().ToListAsync();
        Assert.All(Enum.GetValues<EventType>().Where(t => !t.IsSystem()), t => Assert.Contains(t, types));
        var ivanov = await read.CustomerIdentifiers.SingleAsync(i => i.Value == DemoShowcase.AlexeyIvanov.Phone);
        Assert.True(await read.PromoCodeRedemptions.AnyAsync(r => r.CustomerId == ivanov.CustomerId));
        var smirnova = await read.CustomerIdentifiers.SingleAsync(i => i.Value == DemoShowcase.OlgaSmirnova.Phone);
        Assert.True(await read.PromoCodes.AnyAsync(p => p.CustomerId == smirnova.CustomerId && p.Code == DemoShowcase.OlgaSmirnova.OpenPromoCode && p.UsedCount == 0));
        var kuznetsov = await read.CustomerIdentifiers.SingleAsync(i => i.Value == DemoShowcase.DmitryKuznetsov.Phone);
        Assert.True(await read.Customers.AnyAsync(c => c.Id == kuznetsov.CustomerId && c.LastPurchaseAtUtc < now.AddMonths(-6)));

        // Seeding again leaves a database with customers alone.
        Assert.False(await new DemoDataSeeder().SeedIfEmptyAsync(read, now, CancellationToken.None));
    }

    [Fact]
    public async Task DemoCampaignHistoryIsSpreadOverItsMonthsWithAudiencesAndResults()
    {
        var now = _db.Clock.GetUtcNow().UtcDateTime;
        await using (var db = _db.Open())
            Assert.True(await new DemoDataSeeder().SeedIfEmptyAsync(db, now, CancellationToken.None));
        await using var read = _db.Open();
        var campaigns = await read.Campaigns.AsNoTracking().ToListAsync();

        // The regular mailings go out as one campaign a month over the 18 months; none is still running.
        var launchMonths = campaigns.Select(c => c.LaunchedAtUtc!.Value).Select(d => (d.Year, d.Month)).Distinct().Count();
        Assert.InRange(launchMonths, 18, 20);
        Assert.All(campaigns, c => Assert.Equal(CampaignStatus.Completed, c.Status));
        Assert.All(campaigns, c => Assert.InRange(c.LaunchedAtUtc!.Value, now.AddDays(-DemoCatalog.HistoryDays), now));
        Assert.Contains(campaigns, c => c.Name.StartsWith("Новинки недели: ", StringComparison.Ordinal));

        // Every message of the histories is an outbox row of its campaign, and each campaign's audience is who it reached.
        var delivered = await read.CustomerEvents.CountAsync(e => e.Type == EventType.MessageDelivered);
        Assert.Equal(delivered, await read.Outbox.CountAsync(m => m.Status == MessageStatus.Sent));
        var reached = await read.Outbox.GroupBy(m => m.CampaignId).Select(g => new { g.Key, Customers = g.Select(m => m.CustomerId).Distinct().Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Customers);
        Assert.All(campaigns.Where(c => c.Channel != Channel.Social), c => Assert.Equal(reached.GetValueOrDefault(c.Id), c.Audience));
        Assert.True(campaigns.Single(c => c.Id == DemoShowcase.CampaignIds.VkRetargeting).Audience > 0);

        // A month's digest reads as the results page shows it: sent, opened, clicked, cost and the purchases that followed.
        var results = new CampaignResults(_db.Factory, Options.Create(new MessagingOptions()), _db.Clock, new ChannelBreakers(_db.Clock, Options.Create(new MessagingOptions())));
        var digest = campaigns.Where(c => c.Id.StartsWith(DemoShowcase.CampaignIds.WeeklyDigest + "-", StringComparison.Ordinal)).OrderByDescending(c => c.Audience).First();
        var figures = (await results.GetAsync(digest.Id, default))!;
        var step = Assert.Single(figures.Steps);
        Assert.Equal(Channel.Email, step.Channel);
        Assert.True(step.Sent > 0 && step.Opened > 0 && step.Clicked > 0 && step.Opened < step.Sent, $"{step}");
        Assert.Equal(step.Sent * DemoCampaigns.Prices[Channel.Email], figures.Cost.Minor);
        Assert.True(figures.Converted > 0);
        Assert.True((await results.ChannelComparisonAsync(default)).Count >= 4);
    }

    public void Dispose() => _db.Dispose();
}
