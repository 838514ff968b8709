using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Loyalty;

/// <summary>The active earning rules and the redemption share, applied to one check.</summary>
public sealed class LoyaltyPolicy(IReadOnlyList<EarningRule> rules, decimal defaultMaxRedeemShare)
{
    public IReadOnlyList<EarningRule> Rules => rules;

    public sealed record Accrual(EarningRule Rule, Money Amount, DateTime ActivatesAtUtc, DateTime ExpiresAtUtc);

    /// <summary>What each applicable rule accrues on the paid amount (rounded down to a kopeck), and when it activates and expires.</summary>
    public List<Accrual> Accruals(Money paid, Channel channel, DateTime occurredAtUtc) =>
        rules.Where(r => r.AppliesTo(channel))
            .Select(r =>
            {
                var activates = occurredAtUtc.AddDays(r.ActivationDelayDays);
                return new Accrual(r, paid.PercentDown(r.PercentBasisPoints), activates, activates.AddDays(r.LifetimeDays));
            })
            .Where(a => a.Amount.Minor > 0)
            .ToList();

    public Money AccrualTotal(Money paid, Channel channel) =>
        new(rules.Where(r => r.AppliesTo(channel)).Sum(r => paid.PercentDown(r.PercentBasisPoints).Minor));

    /// <summary>Share of a check payable with points: the strictest applicable rule that sets one, else the installation default.</summary>
    public long MaxRedeemShareBasisPoints(Channel channel) =>
        rules.Where(r => r.AppliesTo(channel) && r.MaxRedeemShareBasisPoints is not null)
            .Select(r => (long)r.MaxRedeemShareBasisPoints!.Value)
            .DefaultIfEmpty((long)Math.Round(defaultMaxRedeemShare * 10_000m))
            .Min();

    /// <summary>The most points a check of <paramref name="total"/> can take: limited by the active balance and the share rule.</summary>
    public Money MaxRedeemable(Money total, Channel channel, Money active) =>
        Money.Max(Money.Zero, Money.Min(active, total.PercentDown(MaxRedeemShareBasisPoints(channel))));
}
