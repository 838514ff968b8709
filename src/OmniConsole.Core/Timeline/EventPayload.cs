using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Timeline;

/// <summary>
/// The typed details of a timeline event, stored as JSON. Each event type fills the parts it has
/// (an order for purchases, a product for views, a message for campaign events, …).
/// </summary>
public class EventPayload
{
    public OrderPayload? Order { get; set; }
    public ProductPayload? Product { get; set; }
    public List<LinePayload>? Cart { get; set; }
    public MessagePayload? Message { get; set; }
    public Dictionary<Channel, bool>? Consents { get; set; }
    public string? Text { get; set; }
    public string? StoreCode { get; set; }
    public BonusPayload? Bonus { get; set; }
    public MergePayload? Merge { get; set; }
    public SurveyPayload? Survey { get; set; }
}

/// <summary>A survey answer: the score on its scale ("nps", "csat"), the comment, the campaign that asked.</summary>
public record SurveyPayload(int Score, string Scale, string? Comment, string? CampaignId);

public record OrderPayload(string OrderNumber, long TotalMinor, long BonusRedeemedMinor, string? PromoCode, List<LinePayload> Lines, string Currency = "RUB");

public record LinePayload(string Sku, string Name, string? Category, string? Brand, int Quantity, long UnitPriceMinor);

public record ProductPayload(string Sku, string Name, string? Category, string? Brand, long? PriceMinor);

public record MessagePayload(string? CampaignId, string? MessageId, string? CampaignName);

/// <summary>
/// Bonus effects of the event: accrued (pending until <see cref="ActivatesAtUtc"/>, or active at once when that was
/// already past as it was recorded: a purchase sent late), redeemed, reversed.
/// </summary>
public record BonusPayload(long AccruedMinor, long RedeemedMinor, long ReversedMinor, long RestoredMinor, DateTime? ActivatesAtUtc, bool ActiveAtOnce = false);

public record MergePayload(long MergedCustomerId, string? MergedCustomerName, string Reason);
