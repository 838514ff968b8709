using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Loyalty;

/// <summary>
/// The loyalty configuration a writer applies: the active earning rules and the tiers, read once per batch so a rule or
/// tier saved in the UI counts from the next batch on.
/// </summary>
public sealed record LoyaltyRules(LoyaltyPolicy Policy, IReadOnlyList<LoyaltyTier> Tiers)
{
    public static async Task<LoyaltyRules> LoadAsync(OmniConsoleDbContext db, decimal defaultMaxRedeemShare, CancellationToken ct)
    {
        var rules = await db.EarningRules.AsNoTracking().Where(r => r.Status == EarningRuleStatus.Active).ToListAsync(ct);
        var tiers = await db.Tiers.AsNoTracking().OrderBy(t => t.MinSpentMinor).ToListAsync(ct);
        return new LoyaltyRules(new LoyaltyPolicy(rules, defaultMaxRedeemShare), tiers);
    }

    /// <summary>The tier for a 365-day paid amount: the highest reached, the base tier when none are configured.</summary>
    public string TierFor(long spentMinor) => TierFor(Tiers, spentMinor);

    /// <summary>Adds what a writer's lots accrued to their rules' running totals (one statement per rule, in its transaction).</summary>
    public static async Task AddAccruedAsync(OmniConsoleDbContext db, IReadOnlyDictionary<int, long> byRule, CancellationToken ct)
    {
        foreach (var (ruleId, amount) in byRule)
            if (amount != 0)
                await db.EarningRules.Where(r => r.Id == ruleId).ExecuteUpdateAsync(s => s.SetProperty(r => r.AccruedMinor, r => r.AccruedMinor + amount), ct);
    }

    public static string TierFor(IReadOnlyList<LoyaltyTier> ascending, long spentMinor) =>
        ascending.LastOrDefault(t => t.MinSpentMinor <= spentMinor)?.Name ?? ascending.FirstOrDefault()?.Name ?? LoyaltyTiers.Base;
}
