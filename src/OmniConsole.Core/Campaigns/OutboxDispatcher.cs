using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// Drains the outbox. A batch is claimed in the database (a conditional update: rows nobody holds, or whose holder's
/// claim ran out after a crash), so two app instances never take the same row. Each message is checked when it is due —
/// consent and the identifier its channel needs (or the step's fallback channel), the channel's cap over 24 hours,
/// quiet hours (then it waits until they end) — rendered with the customer's data, and handed to its provider. What
/// happened is written for the whole batch in one transaction: the row, the customer's timeline, the recipient's next
/// step. The sandbox provider's "sending" is that transaction itself, so a crash at any point neither loses nor repeats
/// one. A real provider is at least once: a crash after it accepted and before the write repeats that message with the
/// same message id (the gateway's and the mail server's key to drop the repeat).
/// </summary>
public sealed class OutboxDispatcher(
    IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, TimeProvider clock, IOptions<MessagingOptions> messaging,
    IOptions<OmniConsoleOptions> options, TrackingLinks links, PromoCampaignService promos, MessageSenders senders, CustomerChangeNotifier notifier,
    ILogger<OutboxDispatcher> log)
{
    public const int BatchSize = 500;
    public const int MaxAttempts = 5;
    private TimeSpan ClaimFor => TimeSpan.FromSeconds(Math.Max(5, messaging.Value.ClaimSeconds));
    private readonly Dictionary<Channel, long> _nextSlot = [];
    /// <summary>This dispatcher's name on its claims: unique per process and start.</summary>
    private readonly string _instance = $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Claims and handles one batch; the number of messages handled (0: nothing was due).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var timing = new BatchTiming();
        var claimed = await ClaimAsync(now, ct);
        if (claimed.Count == 0) return 0;
        timing.Lap("claim");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaigns = await LoadCampaignsAsync(db, claimed.Select(m => m.CampaignId).Distinct().ToList(), ct);
        var facts = await CustomerFacts.LoadAsync(db, claimed.Select(m => m.CustomerId).Distinct().ToList(), now,
            withPush: campaigns.Values.Any(c => c.Steps.Any(s => s.Channel == Channel.Push || s.FallbackChannel == Channel.Push)), ct);
        timing.Lap("facts");
        var sentInBatch = new Dictionary<(long, Channel), int>();
        var outcomes = new List<Outcome>(claimed.Count);
        foreach (var message in claimed)
            outcomes.Add(await HandleAsync(message, campaigns[message.CampaignId], facts, sentInBatch, now, ct));
        timing.Lap("send");
        await RecordAsync(outcomes, campaigns, now, timing, ct);
        return claimed.Count;
    }

    private async Task<List<OutboxMessage>> ClaimAsync(DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var running = db.Campaigns.Where(c => c.Status == CampaignStatus.Running).Select(c => c.Id);
        var free = db.Outbox.Where(m => m.Status == MessageStatus.Pending && m.DueAtUtc <= now
            && (m.ClaimedUntilUtc == null || m.ClaimedUntilUtc < now) && running.Contains(m.CampaignId));
        if (!await free.AnyAsync(ct)) return [];
        var until = now + ClaimFor;
        List<long> candidates;
        using (await writeGate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            candidates = await free.OrderBy(m => m.DueAtUtc).ThenBy(m => m.Id).Select(m => m.Id).Take(BatchSize).ToListAsync(ct);
            // Claimed only if still free: another instance may have taken some since. The condition is checked on rows
            // found by key (SQLite: "+Status" keeps it from walking the status index over every pending message).
            if (db.Database.IsSqlite())
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE "OutboxMessages" SET "ClaimedBy" = {_instance}, "ClaimedUntilUtc" = {until}
                    WHERE "Id" IN (SELECT value FROM json_each({System.Text.Json.JsonSerializer.Serialize(candidates)}))
                      AND +"Status" = 'Pending' AND ("ClaimedUntilUtc" IS NULL OR "ClaimedUntilUtc" < {now})
                    """, ct);
            else
                await db.Outbox.Where(m => candidates.Contains(m.Id) && m.Status == MessageStatus.Pending && (m.ClaimedUntilUtc == null || m.ClaimedUntilUtc < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, _instance).SetProperty(m => m.ClaimedUntilUtc, until), ct);
            await tx.CommitAsync(ct);
        }
        return (await db.Outbox.AsNoTracking().Where(m => candidates.Contains(m.Id)).ToListAsync(ct))
            .Where(m => m.ClaimedBy == _instance && m.ClaimedUntilUtc == until).OrderBy(m => m.Id).ToList();
    }

    private sealed record CampaignPlan(string Id, string Name, List<ParsedStep> Steps);

    private static async Task<Dictionary<string, CampaignPlan>> LoadCampaignsAsync(OmniConsoleDbContext db, List<string> ids, CancellationToken ct) =>
        (await db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Name, c.DefinitionJson }).ToListAsync(ct))
        .ToDictionary(c => c.Id, c => new CampaignPlan(c.Id, c.Name, CampaignDefinition.Parse(JsonValue.Deserialize<CampaignInput>(c.DefinitionJson ?? "{}"))));

    private enum Result { Sent, SentSandbox, Skipped, Retry, Failed, Later }

    private sealed record Outcome(OutboxMessage Message, Result Result, Channel Channel, string? Address = null, SkipReason? Skip = null,
        string? Error = null, DateTime? RetryAtUtc = null);

    private async Task<Outcome> HandleAsync(OutboxMessage message, CampaignPlan campaign, CustomerFacts facts, Dictionary<(long, Channel), int> sentInBatch,
        DateTime now, CancellationToken ct)
    {
        var step = campaign.Steps[message.StepIndex];
        if (QuietHoursEnd(now) is { } end) return new(message, Result.Later, message.Channel, RetryAtUtc: end);

        // The step's channel, or its fallback for a customer the first cannot reach.
        var (channel, address, skip) = facts.Reach(message.CustomerId, step.Channel!.Value);
        if (address is null && step.FallbackChannel is { } fallback && facts.Reach(message.CustomerId, fallback) is (_, { } fallbackAddress, _))
            (channel, address, skip) = (fallback, fallbackAddress, null);
        if (address is null) return new(message, Result.Skipped, channel, Skip: skip);
        if (messaging.Value.CapPerDay(channel) is { } cap)
        {
            var already = facts.SentLastDay(message.CustomerId, channel) + sentInBatch.GetValueOrDefault((message.CustomerId, channel));
            if (already >= cap) return new(message, Result.Skipped, channel, Skip: SkipReason.Capped);
        }
        var sender = senders.For(channel);
        if (ReferenceEquals(sender, MessageSenders.NotConfigured)) return new(message, Result.Skipped, channel, Skip: SkipReason.NoProvider);

        await PaceAsync(channel, ct);
        string? promoCode = null;
        if (step.PromoCampaignId is { } promo && (channel == Channel.Email ? [step.Subject!, step.Body!] : new[] { step.Text! })
                .Any(t => MessageTemplate.UsesToken(t, MessageTemplate.PromoCode)))
        {
            promoCode = await promos.IssueAsync(promo, message.CustomerId, $"campaign:{campaign.Id}", ct);
            if (promoCode is null) return new(message, Result.Failed, channel, address, Error: "No promo code left to issue.");
        }
        sentInBatch[(message.CustomerId, channel)] = sentInBatch.GetValueOrDefault((message.CustomerId, channel)) + 1;
        // The sandbox receives nothing, so the text is not rendered for it (the tracking tokens alone cost a core at 1M).
        if (sender is null) return new(message, Result.SentSandbox, channel, address);

        var rendered = Render(message, step, channel, facts, promoCode);
        var outgoing = new OutgoingMessage(message.Id.ToString(CultureInfo.InvariantCulture), channel, address, rendered.Subject, rendered.Body,
            message.CustomerId, message.CampaignId, channel == Channel.Email ? links.UnsubscribeUrl(message.Id) : null);
        var result = await sender.SendAsync(outgoing, ct);
        return result.Outcome switch
        {
            SendOutcome.Accepted => new(message, Result.Sent, channel, address),
            SendOutcome.Transient when message.Attempts + 1 < MaxAttempts =>
                new(message, Result.Retry, channel, address, Error: result.Error, RetryAtUtc: now + TimeSpan.FromSeconds(30 * Math.Pow(2, message.Attempts))),
            _ => new(message, Result.Failed, channel, address, Error: result.Error),
        };
    }

    private (string? Subject, string Body) Render(OutboxMessage message, ParsedStep step, Channel channel, CustomerFacts facts, string? promoCode)
    {
        var values = new Dictionary<string, string?>
        {
            [MessageTemplate.FirstName] = facts.FirstName(message.CustomerId),
            [MessageTemplate.LastName] = facts.LastName(message.CustomerId),
            [MessageTemplate.BonusActive] = MessageTemplate.Points(facts.BonusActive(message.CustomerId).Major, CultureInfo.GetCultureInfo(options.Value.DefaultCulture)),
            [MessageTemplate.UnsubscribeUrl] = links.UnsubscribeUrl(message.Id),
        };
        if (promoCode is not null) values[MessageTemplate.PromoCode] = promoCode;
        if (channel != Channel.Email) return (null, MessageTemplate.Render(step.Text!, values, html: false));
        var body = EmailHtml.WithTracking(MessageTemplate.Render(step.Body!, values, html: true), message.Id, links);
        return (MessageTemplate.Render(step.Subject!, values, html: false), body);
    }

    /// <summary>Keeps a channel under its configured messages per second (a provider's contract), one slot per message.</summary>
    private async Task PaceAsync(Channel channel, CancellationToken ct)
    {
        if (!messaging.Value.RatePerSecond.TryGetValue(channel.ToString(), out var rate) || rate <= 0) return;
        var now = clock.GetTimestamp();
        var slot = Math.Max(now, _nextSlot.GetValueOrDefault(channel));
        _nextSlot[channel] = slot + clock.TimestampFrequency / rate;
        if (slot > now) await Task.Delay(clock.GetElapsedTime(now, slot), clock, ct);
    }

    /// <summary>When the quiet hours now in force end (UTC), or null outside them.</summary>
    private DateTime? QuietHoursEnd(DateTime nowUtc)
    {
        var quiet = messaging.Value.QuietHours;
        if (!quiet.Enabled) return null;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.DisplayTimeZone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone);
        var (start, end) = (TimeOnly.Parse(quiet.Start, CultureInfo.InvariantCulture), TimeOnly.Parse(quiet.End, CultureInfo.InvariantCulture));
        var time = TimeOnly.FromDateTime(local);
        var inside = start <= end ? time >= start && time < end : time >= start || time < end;
        if (!inside) return null;
        var endDate = time < end ? local.Date : local.Date.AddDays(1);
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(endDate + end.ToTimeSpan(), DateTimeKind.Unspecified), zone);
    }

    private async Task RecordAsync(List<Outcome> outcomes, Dictionary<string, CampaignPlan> campaigns, DateTime now, BatchTiming timing, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            timing.Lap("wait-writer");
            var timeline = new MessageTimelineRows();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var ids = outcomes.Select(o => o.Message.Id).ToList();
            // By key alone, then checked here (see ClaimAsync on SQLite's choice of index).
            var rows = (await db.Outbox.Where(m => ids.Contains(m.Id)).ToListAsync(ct))
                .Where(m => m.ClaimedBy == _instance && m.Status == MessageStatus.Pending).ToDictionary(m => m.Id);
            var recipientIds = outcomes.Select(o => o.Message.RecipientId).ToList();
            var recipients = await db.CampaignRecipients.Where(r => recipientIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
            var prices = await db.ChannelPrices.AsNoTracking().ToDictionaryAsync(p => p.Channel, p => p.PriceMinor, ct);
            foreach (var o in outcomes)
            {
                // A row whose claim ran out and was taken by another instance is theirs now.
                if (!rows.TryGetValue(o.Message.Id, out var row)) continue;
                (row.ClaimedBy, row.ClaimedUntilUtc) = (null, null);
                var name = campaigns[row.CampaignId].Name;
                switch (o.Result)
                {
                    case Result.Later:
                        row.DueAtUtc = o.RetryAtUtc!.Value;
                        continue;
                    case Result.Retry:
                        (row.Attempts, row.DueAtUtc, row.Error) = (row.Attempts + 1, o.RetryAtUtc!.Value, o.Error);
                        continue;
                    case Result.Skipped:
                        (row.Status, row.SkipReason, row.Channel) = (MessageStatus.Skipped, o.Skip, o.Channel);
                        break;
                    case Result.Failed:
                        (row.Status, row.Attempts, row.Error, row.Channel, row.Address) = (MessageStatus.Failed, row.Attempts + 1, o.Error, o.Channel, o.Address);
                        break;
                    default:
                        (row.Status, row.SentAtUtc, row.Channel, row.Address, row.Attempts) = (MessageStatus.Sent, now, o.Channel, o.Address, row.Attempts + 1);
                        row.PriceMinor = prices.GetValueOrDefault(o.Channel);
                        MessageTracking.Apply(row, EventType.MessageSent, now, name, timeline);
                        if (o.Result == Result.SentSandbox)
                        {
                            MessageTracking.Apply(row, EventType.MessageDelivered, now, name, timeline);
                            (row.SandboxOpenAtUtc, row.SandboxClickAtUtc) = Sandbox.Reactions(row.Id, row.Channel, now);
                        }
                        break;
                }
                // The message is done: the recipient's next step is due now (a skipped one goes on as one who did not react).
                if (recipients.TryGetValue(row.RecipientId, out var recipient) && recipient.State == RecipientState.Active)
                {
                    recipient.DueAtUtc = now;
                    recipient.LastMessageId = row.Id;
                    if (row.Status == MessageStatus.Sent) recipient.LastSentAtUtc = now;
                }
            }
            timing.Lap("read-rows");
            await db.SaveChangesAsync(ct);
            timing.Lap("update-rows");
            await timeline.WriteAsync(db, ct);
            timing.Lap("timeline");
            await tx.CommitAsync(ct);
            timing.Lap("commit");
        }
        var touched = outcomes.Where(o => o.Result is Result.Sent or Result.SentSandbox).Select(o => o.Message.CustomerId).Distinct().ToList();
        if (touched.Count > 0) notifier.Publish(touched);
        if (log.IsEnabled(LogLevel.Debug))
            log.LogDebug("Outbox batch: {Sent} sent, {Skipped} skipped, {Later} later; {Timing}", outcomes.Count(o => o.Result is Result.Sent or Result.SentSandbox),
                outcomes.Count(o => o.Result == Result.Skipped), outcomes.Count(o => o.Result is Result.Later or Result.Retry), timing);
    }
}

/// <summary>The sandbox's simulated reactions: a share of messages is opened and some of those clicked, at plausible delays.</summary>
public static class Sandbox
{
    public static (DateTime? Open, DateTime? Click) Reactions(long messageId, Channel channel, DateTime sentAtUtc)
    {
        // Deterministic per message, so a demo looks the same each time it is built.
        var roll = (int)((ulong)(messageId * 2654435761L) % 1000);
        var openShare = channel switch { Channel.Email => 380, Channel.Push => 250, Channel.Sms => 0, _ => 450 };
        if (roll >= openShare) return (null, null);
        var open = sentAtUtc.AddMinutes(5 + roll % 240);
        return roll % 4 == 0 ? (open, open.AddMinutes(1 + roll % 20)) : (open, null);
    }
}
