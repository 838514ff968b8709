namespace OmniConsole.Core.Loyalty;

/// <summary>
/// A loyalty tier: a customer is on the highest tier whose <see cref="MinSpentMinor"/> is at most their paid amount less
/// refunds over the last 365 days. The list is ascending and starts at 0; with no tiers every customer is on the base tier.
/// </summary>
public class LoyaltyTier
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public long MinSpentMinor { get; set; }
}
