using OmniConsole.Core.Common;
using OmniConsole.Core.IdentityResolution;
namespace OmniConsole.Core.Channels;

// The wire shapes of the channel API (API.md), bound from JSON one event at a time so a malformed
// event is rejected on its own. Strings where the contract needs a check the serializer cannot make
// (timestamps must carry an offset; enums must be exact).

public sealed class EventRequest
{
    public string? EventId { get; set; }
    public string? Type { get; set; }
    public string? Channel { get; set; }
    public string? OccurredAt { get; set; }
    public CustomerData? Customer { get; set; }
    public string? StoreCode { get; set; }
    public OrderData? Order { get; set; }
    public ProductData? Product { get; set; }
    public CartData? Cart { get; set; }
    public MessageData? Message { get; set; }
    public Dictionary<string, bool>? Consents { get; set; }
    public string? Text { get; set; }
}

public sealed class OrderData
{
    public string? OrderNumber { get; set; }
    public decimal? Total { get; set; }
    public string? Currency { get; set; }
    public decimal? BonusRedeemed { get; set; }
    public string? PromoCode { get; set; }
    public List<LineData>? Lines { get; set; }
}

public sealed class LineData
{
    public string? Sku { get; set; }
    public string? Name { get; set; }
    public string? Category { get; set; }
    public string? Brand { get; set; }
    public decimal? Quantity { get; set; }
    public decimal? UnitPrice { get; set; }
}

public sealed class ProductData
{
    public string? Sku { get; set; }
    public string? Name { get; set; }
    public string? Category { get; set; }
    public string? Brand { get; set; }
    public decimal? Price { get; set; }
}

public sealed class CartData
{
    public List<LineData>? Lines { get; set; }
}

public sealed class MessageData
{
    public string? CampaignId { get; set; }
    public string? MessageId { get; set; }
}

public static class EventStatus
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
}

public sealed record EventResult(string? EventId, string Status, string? CustomerId, IReadOnlyList<FieldError> Errors);
