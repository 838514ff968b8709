using System.Globalization;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Loyalty;

/// <summary>
/// The timeline items OmniConsole itself writes about points (activated, expired, adjusted by staff): channel
/// <c>system</c>, source <c>system</c>, an English summary made from the payload like any other item.
/// </summary>
public static class BonusTimelineItem
{
    public const string Source = "system";

    public static CustomerEvent Create(long customerId, EventType type, DateTime occurredAtUtc, DateTime receivedAtUtc, string sourceEventId,
        long? orderId, BonusPayload bonus, string? text = null)
    {
        var payload = new EventPayload { Bonus = bonus, Text = text };
        return new CustomerEvent
        {
            CustomerId = customerId, Channel = Channel.System, Type = type, OccurredAtUtc = occurredAtUtc, ReceivedAtUtc = receivedAtUtc,
            Source = Source, SourceEventId = sourceEventId, OrderId = orderId, AmountMinor = bonus.AccruedMinor + bonus.ReversedMinor,
            Payload = payload, Summary = TimelineText.Summary(type, Channel.System, payload, CultureInfo.InvariantCulture),
        };
    }
}
