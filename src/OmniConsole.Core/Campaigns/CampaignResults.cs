using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Orders;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// A campaign's results (MANAGEMENT-API.md): per send step what became of its messages, and the purchases that followed
/// them — a customer converts with a purchase within <c>AttributionDays</c> after their first message of the campaign;
/// revenue is those purchases' paid amount less refunds. Per channel also the cost (an administrator's price per message)
/// and the revenue per rouble spent, so channels can be compared across campaigns. Cost sums the price each message was
/// sent at, so a new price applies from then on and past campaigns keep what they cost.
/// </summary>
public sealed class CampaignResults(IDbContextFactory<OmniConsoleDbContext> dbFactory, IOptions<MessagingOptions> messaging, TimeProvider clock,
    Delivery.ChannelBreakers breakers)
{
    public sealed record StepResult(int Step, Channel Channel, int Eligible, int Skipped, int SkippedNoConsent, int SkippedNoIdentifier, int SkippedCapped,
        int SkippedNoCodeLeft, int Pending, int Sent, int Delivered, int Opened, int Clicked, int Unsubscribed, int Failed,
        IReadOnlyList<VariantResult>? Variants = null);

    /// <summary>One variant of a send step: its messages, and the customers who bought within the window after it.</summary>
    public sealed record VariantResult(int Variant, int Sent, int Delivered, int Opened, int Clicked, int Converted, Money Revenue);

    public sealed record ChannelResult(Channel Channel, int Sent, int Delivered, int Opened, int Clicked, int Converted, Money Revenue, Money Cost, decimal? RevenuePerRouble);

    /// <summary>A wait step: who is in it now, who left the flow there because they reacted (the wait's "unless"), and who was in it when the campaign was stopped.</summary>
    public sealed record WaitResult(int Step, TimeSpan Wait, WaitUnless? Unless, int Waiting, int Left, int Stopped);

    public sealed record Results(string CampaignId, string Name, CampaignStatus Status, DateTime? LaunchedAtUtc, DateTime? FinishedAtUtc, int Audience, IReadOnlyList<StepResult> Steps,
        IReadOnlyList<WaitResult> Waits, IReadOnlyList<ChannelResult> Channels, int Converted, Money Revenue, Money Cost,
        IReadOnlyList<Delivery.ChannelPause> PausedChannels, ExperimentResult? Experiment = null);

    public async Task<Results?> GetAsync(string campaignId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null) return null;
        var messages = db.Outbox.AsNoTracking().Where(m => m.CampaignId == campaignId);
        var byStep = await messages.GroupBy(m => new { m.StepIndex, m.Channel }).Select(g => new
        {
            g.Key.StepIndex, g.Key.Channel,
            Eligible = g.Count(),
            Skipped = g.Count(m => m.Status == MessageStatus.Skipped),
            NoConsent = g.Count(m => m.SkipReason == SkipReason.NoConsent),
            NoIdentifier = g.Count(m => m.SkipReason == SkipReason.NoIdentifier),
            Capped = g.Count(m => m.SkipReason == SkipReason.Capped),
            NoCodeLeft = g.Count(m => m.SkipReason == SkipReason.NoCodeLeft),
            Pending = g.Count(m => m.Status == MessageStatus.Pending),
            Sent = g.Count(m => m.SentAtUtc != null),
            Delivered = g.Count(m => m.DeliveredAtUtc != null),
            Opened = g.Count(m => m.OpenedAtUtc != null),
            Clicked = g.Count(m => m.ClickedAtUtc != null),
            Unsubscribed = g.Count(m => m.UnsubscribedAtUtc != null),
            Failed = g.Count(m => m.Status == MessageStatus.Failed),
            Cost = g.Sum(m => m.PriceMinor),
        }).ToListAsync(ct);
        // Every send step of the definition, reached or not (a step nobody reached yet reads zeros), and every wait with who
        // is in it now and who left it by reacting.
        var definition = CampaignDefinition.Parse(JsonValue.Deserialize<CampaignInput>(campaign.DefinitionJson ?? "{}"));
        var figures = byStep.ToLookup(s => s.StepIndex);
        var steps = definition.Where(d => d.IsSend).Select(d => (d.Index, Channel: d.Channel!.Value))
            .Concat(figures.Select(g => g.Key).Where(i => definition.ElementAtOrDefault(i)?.IsSend != true).Select(i => (Index: i, figures[i].First().Channel)))
            .OrderBy(s => s.Index).Select(s =>
            {
                var g = figures[s.Index].ToList();
                return new StepResult(s.Index, s.Channel, g.Sum(x => x.Eligible), g.Sum(x => x.Skipped), g.Sum(x => x.NoConsent),
                    g.Sum(x => x.NoIdentifier), g.Sum(x => x.Capped), g.Sum(x => x.NoCodeLeft), g.Sum(x => x.Pending), g.Sum(x => x.Sent), g.Sum(x => x.Delivered), g.Sum(x => x.Opened),
                    g.Sum(x => x.Clicked), g.Sum(x => x.Unsubscribed), g.Sum(x => x.Failed));
            }).ToList();
        var variantCounts = (await messages.Where(m => m.Variant != null).GroupBy(m => new { m.StepIndex, m.Variant }).Select(g => new
        {
            g.Key.StepIndex, g.Key.Variant,
            Sent = g.Count(m => m.SentAtUtc != null), Delivered = g.Count(m => m.DeliveredAtUtc != null),
            Opened = g.Count(m => m.OpenedAtUtc != null), Clicked = g.Count(m => m.ClickedAtUtc != null),
        }).ToListAsync(ct)).ToLookup(v => v.StepIndex);
        // A recipient's StepIndex is the next step to take: those in a wait at j have j + 1 and a due time; those who reacted left there.
        var recipients = await db.CampaignRecipients.AsNoTracking()
            .Where(r => (r.State == RecipientState.Active || r.State == RecipientState.Left || r.State == RecipientState.Stopped) && r.CampaignId == campaignId && r.DueAtUtc != null)
            .GroupBy(r => new { r.State, r.StepIndex }).Select(g => new { g.Key.State, g.Key.StepIndex, Count = g.Count() }).ToListAsync(ct);
        int In(RecipientState state, ParsedStep wait) => recipients.Where(r => r.State == state && r.StepIndex == wait.Index + 1).Sum(r => r.Count);
        var waits = definition.Where(d => d.Wait is not null)
            .Select(d => new WaitResult(d.Index, d.Wait!.Value, d.Unless, In(RecipientState.Active, d), In(RecipientState.Left, d), In(RecipientState.Stopped, d))).ToList();

        var (converted, revenue, perChannel, perVariant) = await ConversionsAsync(db, campaignId, ct);
        steps = steps.Select(st => definition.ElementAtOrDefault(st.Step)?.Variants is { Count: > 0 } variants
            ? st with
            {
                Variants = variants.Select((_, v) =>
                {
                    var c = variantCounts[st.Step].FirstOrDefault(x => x.Variant == v);
                    var (conv, rev) = perVariant.GetValueOrDefault((st.Step, v));
                    return new VariantResult(v, c?.Sent ?? 0, c?.Delivered ?? 0, c?.Opened ?? 0, c?.Clicked ?? 0, conv, new Money(rev));
                }).ToList(),
            }
            : st).ToList();
        var input = JsonValue.Deserialize<CampaignInput>(campaign.DefinitionJson ?? "{}");
        var experiment = input.ControlGroupPercent is > 0 || await db.CampaignRecipients.AnyAsync(r => r.CampaignId == campaignId && r.State == RecipientState.Control, ct)
            ? await ExperimentAsync(db, campaignId, ct) : null;
        var channels = byStep.GroupBy(s => s.Channel).Where(g => g.Sum(x => x.Sent) > 0 || g.Sum(x => x.Eligible) > 0).OrderBy(g => g.Key).Select(g =>
        {
            var sent = g.Sum(x => x.Sent);
            var cost = new Money(g.Sum(x => x.Cost));
            var (conv, rev) = perChannel.GetValueOrDefault(g.Key);
            return new ChannelResult(g.Key, sent, g.Sum(x => x.Delivered), g.Sum(x => x.Opened), g.Sum(x => x.Clicked), conv, new Money(rev), cost,
                cost.Minor > 0 ? Math.Round((decimal)rev / cost.Minor, 2) : null);
        }).ToList();
        return new Results(campaign.Id, campaign.Name, campaign.Status, campaign.LaunchedAtUtc, campaign.FinishedAtUtc, campaign.Audience, steps, waits, channels, converted, new Money(revenue),
            new Money(channels.Sum(c => c.Cost.Minor)),
            // The campaign's channels (a fallback's too) whose provider keeps failing: their messages wait in the queue.
            breakers.Paused().Where(p => definition.Any(d => d.AllChannels().Contains(p.Channel))).ToList(), experiment);
    }

    public sealed record BestUplift(string CampaignId, string Name, Uplift Uplift);

    private (DateTime At, BestUplift? Best)? _bestUplift;

    /// <summary>
    /// Of the (at most 10) latest campaigns with a control group launched in the last 90 days, the one whose uplift is
    /// largest and significant (the dashboard's "what worked"); null when none is. Each reads its recipients' purchases
    /// (seconds at a million), so the answer is kept 15 minutes.
    /// </summary>
    public async Task<BestUplift?> BestUpliftAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_bestUplift is { } kept && now - kept.At < TimeSpan.FromMinutes(15)) return kept.Best;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var since = now.AddDays(-90);
        var candidates = (await db.Campaigns.AsNoTracking().Where(c => c.LaunchedAtUtc >= since && c.DefinitionJson != null)
                .OrderByDescending(c => c.LaunchedAtUtc).Select(c => new { c.Id, c.Name, c.DefinitionJson }).Take(200).ToListAsync(ct))
            .Where(c => JsonValue.Deserialize<CampaignInput>(c.DefinitionJson!).ControlGroupPercent is > 0).Take(10).ToList();
        BestUplift? best = null;
        foreach (var c in candidates)
            if ((await ExperimentAsync(db, c.Id, ct)).Uplift is { Significant: true, ConversionPoints: > 0 } uplift && (best is null || uplift.ConversionPoints > best.Uplift.ConversionPoints))
                best = new BestUplift(c.Id, c.Name, uplift);
        _bestUplift = (now, best);
        return best;
    }

    /// <summary>Channels compared across every campaign OmniConsole sent: what each cost and brought.</summary>
    public async Task<IReadOnlyList<ChannelResult>> ChannelComparisonAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.Outbox.AsNoTracking().Where(m => m.SentAtUtc != null).GroupBy(m => m.Channel).Select(g => new
        {
            Channel = g.Key, Sent = g.Count(), Delivered = g.Count(m => m.DeliveredAtUtc != null), Opened = g.Count(m => m.OpenedAtUtc != null),
            Clicked = g.Count(m => m.ClickedAtUtc != null), Cost = g.Sum(m => m.PriceMinor),
        }).ToListAsync(ct);
        var campaignIds = await db.Outbox.AsNoTracking().Where(m => m.SentAtUtc != null).Select(m => m.CampaignId).Distinct().ToListAsync(ct);
        var conversions = new Dictionary<Channel, (int Converted, long Revenue)>();
        foreach (var id in campaignIds)
            foreach (var (channel, (c, r)) in (await ConversionsAsync(db, id, ct)).PerChannel)
            {
                var (c0, r0) = conversions.GetValueOrDefault(channel);
                conversions[channel] = (c0 + c, r0 + r);
            }
        return counts.OrderBy(c => c.Channel).Select(c =>
        {
            var cost = new Money(c.Cost);
            var (converted, revenue) = conversions.GetValueOrDefault(c.Channel);
            return new ChannelResult(c.Channel, c.Sent, c.Delivered, c.Opened, c.Clicked, converted, new Money(revenue), cost,
                cost.Minor > 0 ? Math.Round((decimal)revenue / cost.Minor, 2) : null);
        }).ToList();
    }

    public async Task<Dictionary<Channel, Money>> PricesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ChannelPrices.AsNoTracking().ToDictionaryAsync(p => p.Channel, p => new Money(p.PriceMinor), ct);
    }

    public static readonly Money MaxPrice = new(100_000_00);

    /// <summary>
    /// An administrator's prices per message (for cost and revenue per rouble), saved together and audited per channel changed;
    /// they apply to messages sent from now on. False, and nothing saved: a price out of 0–<see cref="MaxPrice"/>.
    /// </summary>
    public async Task<bool> SetPricesAsync(IReadOnlyDictionary<Channel, Money> prices, string actor, CancellationToken ct)
    {
        if (prices.Values.Any(p => p.Minor < 0 || p.Minor > MaxPrice.Minor)) return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ChannelPrices.ToDictionaryAsync(p => p.Channel, ct);
        foreach (var (channel, price) in prices)
        {
            var row = rows.GetValueOrDefault(channel);
            if ((row?.PriceMinor ?? 0) == price.Minor) continue; // a channel never priced costs 0
            if (row is null) db.ChannelPrices.Add(new ChannelPrice { Channel = channel, PriceMinor = price.Minor });
            else row.PriceMinor = price.Minor;
            db.AuditEntries.Add(new Audit.AuditEntry { AtUtc = clock.GetUtcNow().UtcDateTime, Actor = actor, Action = Audit.AuditAction.MessagePriceChanged, Details = AuditText.Format(AuditText.ChannelPrice, channel.ApiName(), price, new Money(row?.PriceMinor ?? 0)) });
        }
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Treated against control: on each side the customers who entered, those who bought within the attribution window
    /// after entering (the same measure on both sides: the control group got no message to count from) and what they paid.
    /// Read in customer order in chunks, with each chunk's purchases by a range of the orders' customer index.
    /// </summary>
    private async Task<ExperimentResult> ExperimentAsync(OmniConsoleDbContext db, string campaignId, CancellationToken ct)
    {
        var window = TimeSpan.FromDays(Math.Max(1, messaging.Value.AttributionDays));
        var sides = new (int Customers, int Converted, long Revenue)[2]; // [0] treated, [1] control
        var chunk = new List<(long CustomerId, DateTime EnteredAt, bool Control)>();
        await using (var recipients = await dbFactory.CreateDbContextAsync(ct))
        {
            var all = recipients.CampaignRecipients.AsNoTracking().Where(r => r.CampaignId == campaignId).OrderBy(r => r.CustomerId)
                .Select(r => new { r.CustomerId, r.EnteredAtUtc, Control = r.State == RecipientState.Control }).AsAsyncEnumerable();
            await foreach (var r in all.WithCancellation(ct))
            {
                if (chunk.Count >= 10_000 && r.CustomerId != chunk[^1].CustomerId) await TallyAsync();
                chunk.Add((r.CustomerId, r.EnteredAtUtc, r.Control));
            }
        }
        if (chunk.Count > 0) await TallyAsync();
        var treated = new ExperimentSide(sides[0].Customers, sides[0].Converted, new Money(sides[0].Revenue));
        var control = new ExperimentSide(sides[1].Customers, sides[1].Converted, new Money(sides[1].Revenue));
        return new ExperimentResult(control, treated, Uplift.Of(treated, control));

        async Task TallyAsync()
        {
            var (low, high) = (chunk[0].CustomerId, chunk[^1].CustomerId);
            var from = chunk.Min(s => s.EnteredAt);
            var orders = (await db.Orders.AsNoTracking().Where(o => o.CustomerId >= low && o.CustomerId <= high && o.Status == OrderStatus.Purchased && o.OccurredAtUtc >= from)
                .Select(o => new { o.CustomerId, o.OccurredAtUtc, Paid = o.TotalMinor - o.BonusRedeemedMinor - o.RefundedPaidMinor }).ToListAsync(ct)).ToLookup(o => o.CustomerId);
            foreach (var customer in chunk.GroupBy(s => s.CustomerId))
            {
                // A customer who entered a triggered campaign more than once counts once, from their first entry; the
                // side is the same for every entry (a stable hash).
                var entered = customer.Min(s => s.EnteredAt);
                var side = customer.First().Control ? 1 : 0;
                var bought = orders[customer.Key].Where(o => o.OccurredAtUtc >= entered && o.OccurredAtUtc < entered + window).ToList();
                sides[side].Customers++;
                if (bought.Count == 0) continue;
                sides[side].Converted++;
                sides[side].Revenue += bought.Sum(o => o.Paid);
            }
            chunk.Clear();
        }
    }

    /// <summary>
    /// Customers who bought within the attribution window after their first message, and what they paid; per channel,
    /// the customers who bought after a message of that channel. The campaign's messages are read once, in customer order
    /// (one sort; reading them in chunks by customer re-read every message of the campaign per chunk), and the purchases of
    /// each chunk of 10,000 customers by a range of the orders' customer index.
    /// </summary>
    private async Task<(int Converted, long Revenue, Dictionary<Channel, (int, long)> PerChannel, Dictionary<(int Step, int Variant), (int, long)> PerVariant)>
        ConversionsAsync(OmniConsoleDbContext db, string campaignId, CancellationToken ct)
    {
        var window = TimeSpan.FromDays(Math.Max(1, messaging.Value.AttributionDays));
        var converted = 0;
        long revenue = 0;
        var perChannel = new Dictionary<Channel, (int, long)>();
        var perVariant = new Dictionary<(int Step, int Variant), (int, long)>();
        var chunk = new List<(long CustomerId, Channel Channel, DateTime At, int Step, int? Variant)>();
        await using (var messages = await dbFactory.CreateDbContextAsync(ct))
        {
            var sent = messages.Outbox.AsNoTracking().Where(m => m.CampaignId == campaignId && m.SentAtUtc != null).OrderBy(m => m.CustomerId)
                .Select(m => new { m.CustomerId, m.Channel, At = m.SentAtUtc!.Value, m.StepIndex, m.Variant }).AsAsyncEnumerable();
            await foreach (var m in sent.WithCancellation(ct))
            {
                // A chunk ends at a whole customer.
                if (chunk.Count >= 10_000 && m.CustomerId != chunk[^1].CustomerId) await TallyAsync();
                chunk.Add((m.CustomerId, m.Channel, m.At, m.StepIndex, m.Variant));
            }
        }
        if (chunk.Count > 0) await TallyAsync();
        return (converted, revenue, perChannel, perVariant);

        async Task TallyAsync()
        {
            // The chunk's range of customers, not a list of 10,000 ids: EF makes each id a parameter, and SQLite then spent
            // up to a second compiling each statement. Orders of customers in the range who got no message are ignored below.
            var (low, high) = (chunk[0].CustomerId, chunk[^1].CustomerId);
            var from = chunk.Min(s => s.At);
            var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId >= low && o.CustomerId <= high && o.Status == OrderStatus.Purchased && o.OccurredAtUtc >= from)
                .Select(o => new { o.CustomerId, o.OccurredAtUtc, Paid = o.TotalMinor - o.BonusRedeemedMinor - o.RefundedPaidMinor }).ToListAsync(ct);
            var ordersBy = orders.ToLookup(o => o.CustomerId);
            foreach (var customer in chunk.GroupBy(s => s.CustomerId))
            {
                var first = customer.Min(s => s.At);
                var bought = ordersBy[customer.Key].Where(o => o.OccurredAtUtc >= first && o.OccurredAtUtc < first + window).ToList();
                if (bought.Count == 0) continue;
                converted++;
                revenue += bought.Sum(o => o.Paid);
                foreach (var channel in customer.Select(s => s.Channel).Distinct())
                {
                    var at = customer.Where(s => s.Channel == channel).Min(s => s.At);
                    var afterChannel = bought.Where(o => o.OccurredAtUtc >= at).ToList();
                    if (afterChannel.Count == 0) continue;
                    var (c, r) = perChannel.GetValueOrDefault(channel);
                    perChannel[channel] = (c + 1, r + afterChannel.Sum(o => o.Paid));
                }
                // A variant converts a customer who bought within the window after its message.
                foreach (var message in customer.Where(s => s.Variant is not null))
                {
                    var afterVariant = bought.Where(o => o.OccurredAtUtc >= message.At && o.OccurredAtUtc < message.At + window).ToList();
                    if (afterVariant.Count == 0) continue;
                    var key = (message.Step, message.Variant!.Value);
                    var (c, r) = perVariant.GetValueOrDefault(key);
                    perVariant[key] = (c + 1, r + afterVariant.Sum(o => o.Paid));
                }
            }
            chunk.Clear();
        }
    }
}
