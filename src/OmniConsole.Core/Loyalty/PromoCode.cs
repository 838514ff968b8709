namespace OmniConsole.Core.Loyalty;

/// <summary>
/// A promo code: general (many uses) or personal (issued to one customer, often single-use, by a campaign).
/// Use is counted with a concurrency token so a single-use code cannot be redeemed twice.
/// </summary>
public class PromoCode
{
    public int Id { get; set; }
    /// <summary>Upper-case, no spaces.</summary>
    public string Code { get; set; } = "";
    public string Description { get; set; } = "";
    public int? DiscountPercent { get; set; }
    public long? DiscountMinor { get; set; }
    public DateTime? ValidFromUtc { get; set; }
    public DateTime? ValidUntilUtc { get; set; }
    /// <summary>null = unlimited; 1 = single-use.</summary>
    public int? MaxUses { get; set; }
    public int UsedCount { get; set; }
    /// <summary>The customer the code was issued to, for personal codes.</summary>
    public long? CustomerId { get; set; }
    public string? CampaignId { get; set; }
    /// <summary>The promo campaign the code belongs to (codes made before promo campaigns have none).</summary>
    public int? PromoCampaignId { get; set; }
    public PromoCampaign? PromoCampaign { get; set; }
    public DateTime IssuedAtUtc { get; set; }
    public bool IsActive { get; set; } = true;

    public static string Normalize(string code) => code.Replace(" ", "").Trim().ToUpperInvariant();

    public bool IsUsedUp => MaxUses is { } max && UsedCount >= max;
    public bool IsValidAt(DateTime utc) => IsActive && (ValidFromUtc is null || ValidFromUtc <= utc) && (ValidUntilUtc is null || utc <= ValidUntilUtc);
}

public class PromoCodeRedemption
{
    public long Id { get; set; }
    public int PromoCodeId { get; set; }
    public PromoCode? PromoCode { get; set; }
    public long CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    public long? OrderId { get; set; }
    public Orders.Order? Order { get; set; }
    public DateTime AtUtc { get; set; }
}
