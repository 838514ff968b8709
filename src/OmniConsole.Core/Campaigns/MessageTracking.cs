using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// What happens to a message after it leaves: delivered, opened, clicked, unsubscribed — from the tracking links, the
/// sandbox's simulation or a provider. Each is recorded once on the outbox row and once on the customer's timeline
/// with its campaign; an unsubscribe withdraws the channel's consent at once.
/// </summary>
public sealed class MessageTracking(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, TimeProvider clock, CustomerChangeNotifier notifier)
{
    public const string Source = "system";

    public Task<bool> OpenedAsync(long messageId, CancellationToken ct) => RecordAsync(messageId, EventType.MessageOpened, ct);
    public Task<bool> ClickedAsync(long messageId, CancellationToken ct) => RecordAsync(messageId, EventType.MessageClicked, ct);
    public Task<bool> UnsubscribedAsync(long messageId, CancellationToken ct) => RecordAsync(messageId, EventType.Unsubscribed, ct);

    /// <summary>Records one happening; false when the message is unknown. Repeats (a second open) change nothing.</summary>
    public async Task<bool> RecordAsync(long messageId, EventType type, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        long customerId;
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var message = await db.Outbox.FirstOrDefaultAsync(m => m.Id == messageId, ct);
            if (message is null) return false;
            customerId = message.CustomerId;
            var campaignName = await db.Campaigns.Where(c => c.Id == message.CampaignId).Select(c => c.Name).FirstOrDefaultAsync(ct);
            var timeline = new MessageTimelineRows();
            var changed = Apply(message, type, now, campaignName, timeline);
            // A click is an open too (images may be blocked); an unsubscribe withdraws the consent of the message's channel.
            if (type == EventType.MessageClicked) changed |= Apply(message, EventType.MessageOpened, now, campaignName, timeline);
            if (type == EventType.Unsubscribed && changed)
            {
                var consent = await db.CustomerConsents.FirstOrDefaultAsync(c => c.CustomerId == message.CustomerId && c.Channel == message.Channel, ct);
                if (consent is null) db.CustomerConsents.Add(new CustomerConsent { CustomerId = message.CustomerId, Channel = message.Channel, Granted = false, ChangedAtUtc = now });
                else (consent.Granted, consent.ChangedAtUtc) = (false, now);
            }
            if (!changed) return true;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await timeline.WriteAsync(db, ct);
            await tx.CommitAsync(ct);
        }
        notifier.Publish([customerId]);
        return true;
    }

    /// <summary>Sets the row's time for that happening and adds its timeline item to <paramref name="timeline"/>, unless it was recorded before.</summary>
    internal static bool Apply(OutboxMessage message, EventType type, DateTime at, string? campaignName, MessageTimelineRows timeline)
    {
        switch (type)
        {
            case EventType.MessageDelivered when message.DeliveredAtUtc is null: message.DeliveredAtUtc = at; message.Status = MessageStatus.Delivered; break;
            case EventType.MessageOpened when message.OpenedAtUtc is null: message.OpenedAtUtc = at; break;
            case EventType.MessageClicked when message.ClickedAtUtc is null: message.ClickedAtUtc = at; break;
            case EventType.Unsubscribed when message.UnsubscribedAtUtc is null: message.UnsubscribedAtUtc = at; break;
            case EventType.MessageSent: break;
            default: return false;
        }
        timeline.Add(TimelineItem(message, type, at, campaignName));
        return true;
    }

    public static CustomerEvent TimelineItem(OutboxMessage message, EventType type, DateTime at, string? campaignName)
    {
        var payload = new EventPayload { Message = new MessagePayload(message.CampaignId, message.Id.ToString(CultureInfo.InvariantCulture), campaignName) };
        return new CustomerEvent
        {
            CustomerId = message.CustomerId, Channel = message.Channel, Type = type, OccurredAtUtc = at, ReceivedAtUtc = at,
            Source = Source, SourceEventId = $"msg-{message.Id}-{type.ApiName()}", CampaignId = message.CampaignId,
            MessageId = message.Id.ToString(CultureInfo.InvariantCulture), Payload = payload,
            Summary = TimelineText.Summary(type, message.Channel, payload, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The sandbox's simulated opens and clicks whose time has come (the demo's results).</summary>
    public async Task<int> ApplySandboxAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var opens = await db.Outbox.Where(m => m.SandboxOpenAtUtc != null && m.SandboxOpenAtUtc <= now && m.OpenedAtUtc == null)
            .OrderBy(m => m.SandboxOpenAtUtc).Take(1000).ToListAsync(ct);
        var clicks = await db.Outbox.Where(m => m.SandboxClickAtUtc != null && m.SandboxClickAtUtc <= now && m.ClickedAtUtc == null)
            .OrderBy(m => m.SandboxClickAtUtc).Take(1000).ToListAsync(ct);
        if (opens.Count + clicks.Count == 0) return 0;
        var names = await db.Campaigns.Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        using (await writeGate.EnterAsync(ct))
        {
            var timeline = new MessageTimelineRows();
            foreach (var m in opens.Concat(clicks).DistinctBy(m => m.Id))
            {
                if (m.SandboxOpenAtUtc <= now) Apply(m, EventType.MessageOpened, m.SandboxOpenAtUtc!.Value, names.GetValueOrDefault(m.CampaignId), timeline);
                if (m.SandboxClickAtUtc <= now) Apply(m, EventType.MessageClicked, m.SandboxClickAtUtc!.Value, names.GetValueOrDefault(m.CampaignId), timeline);
            }
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await timeline.WriteAsync(db, ct);
            await tx.CommitAsync(ct);
        }
        notifier.Publish(opens.Concat(clicks).Select(m => m.CustomerId).Distinct().ToList());
        return opens.Count + clicks.Count;
    }
}

/// <summary>
/// Timeline items of message happenings and their segment facts, written together in the writer's transaction
/// (by one prepared statement each on SQLite: a batch of the dispatcher writes a thousand).
/// </summary>
internal sealed class MessageTimelineRows
{
    private readonly List<CustomerEvent> _items = [];
    private readonly List<Segments.CustomerEventFacet> _facets = [];

    public void Add(CustomerEvent item)
    {
        _items.Add(item);
        // Segments read events through their facts ("opened campaign X", "a message in 30 days"), as ingestion writes them;
        // message_sent is OmniConsole's own bookkeeping (delivered follows it) and has none: two rows fewer per message.
        if (item.Type == EventType.MessageSent) return;
        foreach (var facet in Segments.SegmentFacts.FacetsOf(item, new Customers.Customer { Id = item.CustomerId }))
        {
            facet.Customer = null; // by key alone: the customer exists
            _facets.Add(facet);
        }
    }

    public async Task WriteAsync(OmniConsoleDbContext db, CancellationToken ct)
    {
        await db.Family().InsertRowsAsync(db, _items, null, null, ct);
        await db.Family().InsertRowsAsync(db, _facets, null, null, ct);
        _items.Clear();
        _facets.Clear();
    }
}
