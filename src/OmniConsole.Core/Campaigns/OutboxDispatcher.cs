using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// Drains the outbox, each channel on its own (<see cref="RunAsync"/>): a provider that hangs holds up only its channel.
/// A batch is claimed in the database (<see cref="OutboxClaims"/>). Each message is checked when it is due — consent and
/// the identifier its channel needs (or the step's fallback channel), the channel's cap over 24 hours, quiet hours (then
/// it waits until they end) — rendered with the customer's data, and handed to its provider.
/// <list type="bullet">
/// <item>A real provider's message is sent only after its claim is renewed and found still ours, its campaign still
/// running and the customer's consent and cap read again; it is recorded (row, timeline, the recipient's next step) as
/// soon as the provider accepted it. A crash between the two repeats that one message with the same message id (the
/// gateway's and the mail server's key to drop the repeat).</item>
/// <item>A message's failure is that message's: an exception, or no promo code left, is recorded on it and the rest go on.</item>
/// <item>A provider that fails for now is tried again with a growing wait for <see cref="MessagingOptions.RetryHours"/>;
/// one that keeps failing pauses its channel (<see cref="ChannelBreakers"/>) and its messages go back to the queue.</item>
/// <item>The sandbox's "sending" is the batch's transaction itself, so a crash neither loses nor repeats one.</item>
/// </list>
/// </summary>
public sealed class OutboxDispatcher(
    IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, TimeProvider clock, IOptions<MessagingOptions> messaging,
    IOptions<OmniConsoleOptions> options, TrackingLinks links, PromoCampaignService promos, MessageSenders senders, ChannelBreakers breakers,
    CustomerChangeNotifier notifier, ILogger<OutboxDispatcher> log)
{
    /// <summary>Messages claimed at once for the sandbox, whose batch is one transaction.</summary>
    public const int SandboxBatchSize = 500;
    private readonly OutboxClaims _claims = new(dbFactory, writeGate, messaging);
    private readonly ConcurrentDictionary<Channel, long> _nextSlot = new();

    /// <summary>One loop per channel until stopped: each goes again at once while it has work, else once a second.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(CampaignDefinition.SendChannels.Select(channel => Task.Run(async () =>
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var busy = false;
                try { busy = await RunOnceAsync(channel, stoppingToken) > 0; }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
                catch (Exception ex) { log.LogWarning(ex, "Sending {Channel} failed; trying again shortly", channel); }
                if (!busy)
                    try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
                    catch (OperationCanceledException) { return; }
            }
        }, CancellationToken.None)));

    /// <summary>One batch of every channel in turn; the number of messages handled (0: nothing was due).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var handled = 0;
        foreach (var channel in CampaignDefinition.SendChannels) handled += await RunOnceAsync(channel, ct);
        return handled;
    }

    /// <summary>Claims and handles one batch of the channel's messages; the number handled (0: nothing was due, or the channel is paused).</summary>
    public async Task<int> RunOnceAsync(Channel channel, CancellationToken ct)
    {
        if (breakers.PausedNow(channel) is not null) return 0; // its messages wait in the queue
        var now = clock.GetUtcNow().UtcDateTime;
        var sandbox = senders.For(channel) is null;
        var timing = new BatchTiming();
        var claimed = await _claims.ClaimAsync(channel, now, sandbox ? SandboxBatchSize : Math.Max(1, messaging.Value.SendBatchSize), ct);
        if (claimed.Count == 0) return 0;
        timing.Lap("claim");

        CampaignPlan[] plans;
        Dictionary<string, CampaignPlan> campaigns;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            campaigns = await LoadCampaignsAsync(db, claimed.Select(m => m.CampaignId).Distinct().ToList(), ct);
            plans = [.. campaigns.Values];
        }
        var facts = await FactsAsync(claimed.Select(m => m.CustomerId).Distinct().ToList(), plans, now, ct);
        timing.Lap("facts");
        var sentInBatch = new Dictionary<(long, Channel), int>();
        var deferred = new List<Outcome>(claimed.Count);
        var rest = claimed.Select(m => m.Id).ToHashSet();
        foreach (var message in claimed)
        {
            rest.Remove(message.Id);
            Outcome? outcome;
            try { outcome = await HandleAsync(message, campaigns[message.CampaignId], facts, sentInBatch, rest, now, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Outbox message {Id} failed", message.Id);
                outcome = new(message, Result.Failed, message.Channel, Error: Truncate(ex.Message));
            }
            if (outcome is null) continue; // no longer ours: nothing to record
            if (outcome.Result is Result.Sent or Result.Retry or Result.Failed) await RecordAsync([outcome], campaigns, now, timing, ct);
            else deferred.Add(outcome);
            if (outcome.Result == Result.Paused)
            {
                // The channel paused: what is left of the batch goes back to the queue untried.
                deferred.AddRange(claimed.Where(m => rest.Contains(m.Id)).Select(m => new Outcome(m, Result.Later, m.Channel, RetryAtUtc: m.DueAtUtc)));
                break;
            }
        }
        timing.Lap("send");
        if (deferred.Count > 0) await RecordAsync(deferred, campaigns, now, timing, ct);
        return claimed.Count;
    }

    private async Task<CustomerFacts> FactsAsync(List<long> customers, IEnumerable<CampaignPlan> plans, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CustomerFacts.LoadAsync(db, customers, now,
            withPush: plans.Any(c => c.Steps.Any(s => s.AllChannels().Contains(Channel.Push))), ct);
    }

    private sealed record CampaignPlan(string Id, string Name, List<ParsedStep> Steps);

    private static async Task<Dictionary<string, CampaignPlan>> LoadCampaignsAsync(OmniConsoleDbContext db, List<string> ids, CancellationToken ct) =>
        (await db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Name, c.DefinitionJson }).ToListAsync(ct))
        .ToDictionary(c => c.Id, c => new CampaignPlan(c.Id, c.Name, CampaignDefinition.Parse(JsonValue.Deserialize<CampaignInput>(c.DefinitionJson ?? "{}"))));

    /// <summary>Later: not tried now (quiet hours, a paused campaign or channel), due again at RetryAtUtc and not counted as an attempt.</summary>
    private enum Result { Sent, SentSandbox, Skipped, Retry, Failed, Later, Paused }

    private sealed record Outcome(OutboxMessage Message, Result Result, Channel Channel, string? Address = null, SkipReason? Skip = null,
        string? Error = null, DateTime? RetryAtUtc = null);

    /// <summary>What became of one message; null when it is no longer this dispatcher's to send.</summary>
    private async Task<Outcome?> HandleAsync(OutboxMessage message, CampaignPlan campaign, CustomerFacts facts, Dictionary<(long, Channel), int> sentInBatch,
        IReadOnlyCollection<long> restOfBatch, DateTime now, CancellationToken ct)
    {
        var step = campaign.Steps[message.StepIndex].ForVariant(message.Variant);
        if (QuietHoursEnd(now) is { } end) return new(message, Result.Later, message.Channel, RetryAtUtc: end);
        var (channel, address, skip) = Route(message, step, facts);
        if (address is not null && senders.For(channel) is { } provider && !ReferenceEquals(provider, MessageSenders.NotConfigured))
        {
            // A real send: the claim renewed and still ours, the campaign still running, consent and caps as they are now.
            var sendTakesAtMost = step.FallbackChannel is { } fallback
                ? Max(messaging.Value.LongestSend(step.Channel!.Value), messaging.Value.LongestSend(fallback))
                : messaging.Value.LongestSend(step.Channel!.Value);
            switch (await _claims.RenewAsync(message, restOfBatch, clock.GetUtcNow().UtcDateTime, sendTakesAtMost, ct))
            {
                case OutboxClaims.Hold.Lost: return null;
                case OutboxClaims.Hold.CampaignNotRunning: return new(message, Result.Later, message.Channel, RetryAtUtc: message.DueAtUtc);
            }
            facts = await FactsAsync([message.CustomerId], [campaign], now, ct);
            (channel, address, skip) = Route(message, step, facts);
        }
        if (address is null) return new(message, Result.Skipped, channel, Skip: skip);
        if (messaging.Value.CapPerDay(channel) is { } cap)
        {
            var already = facts.SentLastDay(message.CustomerId, channel) + sentInBatch.GetValueOrDefault((message.CustomerId, channel));
            if (already >= cap) return new(message, Result.Skipped, channel, Skip: SkipReason.Capped);
        }
        var sender = senders.For(channel);
        if (ReferenceEquals(sender, MessageSenders.NotConfigured)) return new(message, Result.Skipped, channel, Skip: SkipReason.NoProvider);
        if (sender is not null && breakers.PausedNow(channel) is not null) return new(message, Result.Paused, channel, RetryAtUtc: message.DueAtUtc);

        await PaceAsync(channel, ct);
        string? promoCode = null;
        if (step.PromoCampaignId is { } promo && (channel == Channel.Email ? [step.Subject!, step.Body!] : new[] { step.Text! })
                .Any(t => MessageTemplate.UsesToken(t, MessageTemplate.PromoCode)))
        {
            try { promoCode = await promos.IssueAsync(promo, message.CustomerId, $"campaign:{campaign.Id}", ct); }
            catch (PromoCodesExhaustedException) { return new(message, Result.Skipped, channel, address, Skip: SkipReason.NoCodeLeft); }
            if (promoCode is null) return new(message, Result.Skipped, channel, address, Skip: SkipReason.NoCodeLeft);
        }
        sentInBatch[(message.CustomerId, channel)] = sentInBatch.GetValueOrDefault((message.CustomerId, channel)) + 1;
        // The sandbox receives nothing, so the text is not rendered for it (the tracking tokens alone cost a core at 1M).
        if (sender is null) return new(message, Result.SentSandbox, channel, address);

        var rendered = Render(message, step, channel, facts, promoCode);
        var outgoing = new OutgoingMessage(message.Id.ToString(CultureInfo.InvariantCulture), channel, address, rendered.Subject, rendered.Body,
            message.CustomerId, message.CampaignId, channel == Channel.Email ? links.UnsubscribeUrl(message.Id) : null);
        var result = await breakers.SendAsync(sender, outgoing, channel, ct);
        if (result is null) return new(message, Result.Paused, channel, RetryAtUtc: message.DueAtUtc);
        return result.Outcome switch
        {
            SendOutcome.Accepted => new(message, Result.Sent, channel, address),
            SendOutcome.Transient => RetryOrGiveUp(message, channel, address, result.Error),
            _ => new(message, Result.Failed, channel, address, Error: Truncate(result.Error)),
        };
    }

    /// <summary>The step's channel, or its fallback for a customer the first cannot reach.</summary>
    private static (Channel Channel, string? Address, SkipReason? Skip) Route(OutboxMessage message, ParsedStep step, CustomerFacts facts)
    {
        var reach = facts.Reach(message.CustomerId, step.Channel!.Value);
        if (reach.Address is null && step.FallbackChannel is { } fallback && facts.Reach(message.CustomerId, fallback) is (_, { } fallbackAddress, _))
            return (fallback, fallbackAddress, null);
        return reach;
    }

    /// <summary>Tried again after 30 s, 1, 2, 4… minutes (at most <c>MaxRetryMinutes</c>) while within <c>RetryHours</c> of the first attempt.</summary>
    private Outcome RetryOrGiveUp(OutboxMessage message, Channel channel, string address, string? error)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var wait = TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, Math.Min(20, Math.Max(0, message.Attempts - 1))), Math.Max(1, messaging.Value.MaxRetryMinutes) * 60.0));
        var giveUpAt = (message.FirstAttemptAtUtc ?? now) + TimeSpan.FromHours(Math.Max(0, messaging.Value.RetryHours));
        return now + wait <= giveUpAt
            ? new(message, Result.Retry, channel, address, Error: Truncate(error), RetryAtUtc: now + wait)
            : new(message, Result.Failed, channel, address, Error: Truncate($"Gave up after {message.Attempts} attempts in {messaging.Value.RetryHours} h: {error}"));
    }

    private static string? Truncate(string? error) => error is { Length: > 500 } ? error[..499] + "…" : error;

    private (string? Subject, string Body) Render(OutboxMessage message, ParsedStep step, Channel channel, CustomerFacts facts, string? promoCode)
    {
        var values = new Dictionary<string, string?>
        {
            [MessageTemplate.FirstName] = facts.FirstName(message.CustomerId),
            [MessageTemplate.LastName] = facts.LastName(message.CustomerId),
            [MessageTemplate.BonusActive] = MessageTemplate.Points(facts.BonusActive(message.CustomerId).Major, CultureInfo.GetCultureInfo(options.Value.DefaultCulture)),
            [MessageTemplate.UnsubscribeUrl] = links.UnsubscribeUrl(message.Id),
        };
        if (step.Survey is not null) values[MessageTemplate.SurveyUrl] = links.SurveyUrl(message.Id);
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
        var slot = Math.Max(now, _nextSlot.GetValueOrDefault(channel)); // each channel has one loop: no race on its slot
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

    /// <summary>
    /// Writes what happened in one transaction: the rows, the customers' timelines, the recipients' next steps. Only rows
    /// this dispatcher still holds; a message a stop marked skipped while it was on its way is recorded as sent, as it was.
    /// </summary>
    private async Task RecordAsync(List<Outcome> outcomes, Dictionary<string, CampaignPlan> campaigns, DateTime batchStart, BatchTiming timing, CancellationToken ct)
    {
        var now = Max(batchStart, clock.GetUtcNow().UtcDateTime);
        using (await writeGate.EnterAsync(ct))
        {
            timing.Lap("wait-writer");
            var timeline = new MessageTimelineRows();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var ids = outcomes.Select(o => o.Message.Id).ToList();
            // By key alone, then checked here (see OutboxClaims on SQLite's choice of index).
            var rows = (await db.Outbox.Where(m => ids.Contains(m.Id)).ToListAsync(ct)).Where(m => m.ClaimedBy == _claims.Instance).ToDictionary(m => m.Id);
            var recipientIds = outcomes.Select(o => o.Message.RecipientId).ToList();
            var recipients = await db.CampaignRecipients.Where(r => recipientIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
            var prices = await db.ChannelPrices.AsNoTracking().ToDictionaryAsync(p => p.Channel, p => p.PriceMinor, ct);
            foreach (var o in outcomes)
            {
                // A row whose claim ran out and was taken by another instance is theirs now.
                if (!rows.TryGetValue(o.Message.Id, out var row)) continue;
                var sent = o.Result is Result.Sent or Result.SentSandbox;
                if (row.Status != MessageStatus.Pending && !(sent && row.SkipReason == SkipReason.CampaignStopped)) continue;
                (row.ClaimedBy, row.ClaimedUntilUtc) = (null, null);
                var name = campaigns[row.CampaignId].Name;
                switch (o.Result)
                {
                    case Result.Later or Result.Paused:
                        // Not tried: the attempt counted at the claim is given back.
                        row.DueAtUtc = o.RetryAtUtc!.Value;
                        row.Attempts = Math.Max(0, row.Attempts - 1);
                        if (row.Attempts == 0) row.FirstAttemptAtUtc = null;
                        continue;
                    case Result.Retry:
                        (row.DueAtUtc, row.Error) = (o.RetryAtUtc!.Value, o.Error);
                        continue;
                    case Result.Skipped:
                        (row.Status, row.SkipReason, row.Channel) = (MessageStatus.Skipped, o.Skip, o.Channel);
                        break;
                    case Result.Failed:
                        (row.Status, row.Error, row.Channel, row.Address) = (MessageStatus.Failed, o.Error, o.Channel, o.Address);
                        break;
                    default:
                        (row.Status, row.SkipReason, row.SentAtUtc, row.Channel, row.Address) = (MessageStatus.Sent, null, now, o.Channel, o.Address);
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
            await db.Family().SaveChangesAsync(db, ct);
            timing.Lap("update-rows");
            await timeline.WriteAsync(db, ct);
            timing.Lap("timeline");
            await tx.CommitAsync(ct);
            timing.Lap("commit");
        }
        var touched = outcomes.Where(o => o.Result is Result.Sent or Result.SentSandbox).Select(o => o.Message.CustomerId).Distinct().ToList();
        if (touched.Count > 0) notifier.Publish(touched);
        if (log.IsEnabled(LogLevel.Debug))
            log.LogDebug("Outbox: {Sent} sent, {Skipped} skipped, {Later} later; {Timing}", outcomes.Count(o => o.Result is Result.Sent or Result.SentSandbox),
                outcomes.Count(o => o.Result == Result.Skipped), outcomes.Count(o => o.Result is Result.Later or Result.Retry or Result.Paused), timing);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
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
