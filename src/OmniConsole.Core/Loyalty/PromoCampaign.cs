using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Loyalty;

public enum PromoCampaignKind { Shared, Unique }

/// <summary>
/// A set of promo codes with one offer (MANAGEMENT-API.md, promo codes): one shared code many customers type, or up to
/// 100,000 generated unique codes handed out one per customer. Its limits are checked on every purchase that names a code.
/// </summary>
public class PromoCampaign
{
    public const int MaxCodes = 100_000;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public PromoCampaignKind Kind { get; set; }
    public int? DiscountPercent { get; set; }
    public long? DiscountMinor { get; set; }
    /// <summary>Points a purchase with the code accrues, active at once, for 365 days.</summary>
    public long? BonusPointsMinor { get; set; }
    public DateTime? ValidFromUtc { get; set; }
    public DateTime? ValidToUtc { get; set; }
    /// <summary>Uses of each code; null = unlimited (unique codes default to 1).</summary>
    public int? UsesPerCode { get; set; }
    /// <summary>Uses by one customer across the campaign's codes; null = unlimited.</summary>
    public int? UsesPerCustomer { get; set; }
    /// <summary>Channels where the codes are accepted; empty = all.</summary>
    public List<Channel> Channels { get; set; } = [];
    public int CodeCount { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }

    public bool IsValidAt(DateTime utc) => (ValidFromUtc is null || ValidFromUtc <= utc) && (ValidToUtc is null || utc < ValidToUtc);
}
