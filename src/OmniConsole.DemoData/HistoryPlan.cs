using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Catalog;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Timeline;

namespace OmniConsole.DemoData;

/// <summary>
/// What a customer did, as a channel would report it, before its effects are worked out. Episodes are planned
/// out of time order; <see cref="HistoryRecorder"/> replays the plan chronologically and turns it into rows.
/// </summary>
internal sealed class HistoryPlan
{
    private readonly List<PlannedEvent> _events = [];

    public int Count => _events.Count;

    public PlannedEvent Add(PlannedEvent e)
    {
        e.Sequence = _events.Count;
        _events.Add(e);
        return e;
    }

    /// <summary>By time; events planned for the same moment keep the order they were planned in.</summary>
    public List<PlannedEvent> Chronological()
    {
        var sorted = new List<PlannedEvent>(_events);
        sorted.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Sequence.CompareTo(b.Sequence));
        return sorted;
    }
}

/// <summary>One client event: the fields a channel sends (see API.md), with the order, return and message as plan objects.</summary>
internal sealed class PlannedEvent
{
    public required DateTime At { get; init; }
    public required EventType Type { get; init; }
    public required Channel Channel { get; init; }
    public int Sequence { get; set; }
    public Store? Store { get; init; }
    public ProductPayload? Product { get; init; }
    public List<LinePayload>? Cart { get; init; }
    public PlannedOrder? Order { get; init; }
    public PlannedReturn? Return { get; init; }
    public PlannedMessage? Message { get; init; }
    public Dictionary<Channel, bool>? Consents { get; init; }
    public string? Text { get; init; }
}

/// <summary>An order as the channel reports it: lines, an optional promo code (whose discount is in the total) and how keen the customer is to pay with points.</summary>
internal sealed class PlannedOrder(string number, List<LinePayload> lines, PlannedPromo? promo, double redeemShare)
{
    public string Number { get; } = number;
    public List<LinePayload> Lines { get; } = lines;
    public PlannedPromo? Promo { get; } = promo;

    /// <summary>Part (0–1) of what the active balance and the share rule allow that the customer pays with points; 0 = no points.</summary>
    public double RedeemShare { get; } = redeemShare;

    public long TotalMinor { get; } = DiscountedMinor(lines.Sum(l => l.UnitPriceMinor * l.Quantity), promo);

    public static long DiscountedMinor(long amount, PlannedPromo? promo) =>
        promo is null ? amount : amount * (100 - promo.Percent) / 100;
}

/// <summary>A refund of some lines of a purchase, at the price actually paid for them (promo discount included).</summary>
internal sealed class PlannedReturn(PlannedOrder original, List<LinePayload> lines)
{
    public PlannedOrder Original { get; } = original;
    public List<LinePayload> Lines { get; } = lines;
    public long RefundMinor { get; } = PlannedOrder.DiscountedMinor(lines.Sum(l => l.UnitPriceMinor * l.Quantity), original.Promo);
}

/// <summary>A campaign message to the customer; the delivery of some messages issues a personal promo code.</summary>
internal sealed record PlannedMessage(Campaign Campaign, string MessageId, PlannedPromo? IssuedPromo = null);

/// <summary>A personal, single-use promo code.</summary>
internal sealed record PlannedPromo(string Code, string CampaignId, string Description, int Percent, DateTime IssuedAt, DateTime ValidUntil);
