using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Timeline;

/// <summary>One item of a customer's unified timeline: anything that happened in any channel.</summary>
public class CustomerEvent
{
    /// <summary>How far ahead of its arrival an event may say it happened (clock skew at tills): ingestion refuses more, and segments rely on it.</summary>
    public static readonly TimeSpan MaxFuture = TimeSpan.FromDays(1);

    public long Id { get; set; }
    public long CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    public Channel Channel { get; set; }
    public EventType Type { get; set; }
    public DateTime OccurredAtUtc { get; set; }
    public DateTime ReceivedAtUtc { get; set; }

    /// <summary>Who sent it: the API key's name, or <c>system</c>/<c>demo</c>. Source event ids are unique per source.</summary>
    public string Source { get; set; } = "";
    public string SourceEventId { get; set; } = "";

    /// <summary>A readable one-line English summary, made when the event arrives (the API returns it; the UI localises from the payload).</summary>
    public string Summary { get; set; } = "";

    public EventPayload Payload { get; set; } = new();

    // Links for the capabilities that read the timeline (orders, campaigns, messages).
    public long? OrderId { get; set; }
    public Orders.Order? Order { get; set; }
    public string? CampaignId { get; set; }
    public string? MessageId { get; set; }
    public int? StoreId { get; set; }
    public Catalog.Store? Store { get; set; }
    public string? ProductSku { get; set; }
    /// <summary>Money involved (order total, refund), for summaries and segment filters without parsing the payload.</summary>
    public long? AmountMinor { get; set; }
}
