using OmniConsole.Core.Channels;
using OmniConsole.Core.IdentityResolution;

namespace OmniConsole.Web.Api;

// Response shapes of the channel API (API.md). Money and points are major units (roubles), timestamps UTC.

public sealed record EventsResponse(IReadOnlyList<EventResult> Results);

public sealed record BonusDto(decimal Active, decimal Pending);

public sealed record LookupResponse(string CustomerId, string? FirstName, string? LastName, string Tier, BonusDto Bonus,
    IReadOnlyList<string> Channels, DateTime? LastPurchaseAt, decimal LifetimeValue);

public sealed record TimelineItemDto(string EventId, string Type, string Channel, DateTime OccurredAt, string Summary,
    decimal? Amount, string? OrderNumber, string? CampaignId, string? StoreCode, string? Text);

public sealed record TimelineResponse(string CustomerId, IReadOnlyList<TimelineItemDto> Items, string? NextBefore);

public sealed class QuoteRequest
{
    public CustomerData? Customer { get; set; }
    public decimal? OrderTotal { get; set; }
    public string? Channel { get; set; }
    public string? StoreCode { get; set; }
}

public sealed record QuoteResponse(string CustomerId, decimal Active, decimal Pending, decimal MaxRedeemable, decimal AccrualPreview);
