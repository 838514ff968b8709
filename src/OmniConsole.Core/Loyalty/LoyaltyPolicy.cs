using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Loyalty;

/// <summary>What the earning rules look at in a purchase (or in the event that created a customer, for welcome rules).</summary>
/// <param name="Segments">the segments, among <see cref="LoyaltyPolicy.ReferencedSegments"/>, the customer is a member of</param>
public sealed record PurchaseFacts(Channel Channel, string? StoreCode, IReadOnlyList<LinePayload> Lines, Money Total, Money BonusRedeemed,
    DateTime OccurredAtUtc, string Tier, IReadOnlySet<int> Segments)
{
    public Money Paid => Total - BonusRedeemed;

    public static PurchaseFacts Event(Channel channel, string? storeCode, DateTime occurredAtUtc, string tier) =>
        new(channel, storeCode, [], Money.Zero, Money.Zero, occurredAtUtc, tier, new HashSet<int>());
}

/// <summary>
/// The rule engine (MANAGEMENT-API.md, loyalty), pure over the active rules it is given, so ingestion, the quote and the
/// generators apply the same rules. A purchase is offered to the active purchase rules whose conditions hold, highest
/// priority first (then lower id); each accrues its percentage of the paid amount of its matching lines, or its points,
/// rounded down to a kopeck; after an exclusive rule accrues, none after it does.
/// </summary>
public sealed class LoyaltyPolicy
{
    private readonly List<EarningRule> _purchase;
    private readonly List<EarningRule> _welcome;
    private readonly List<EarningRule> _birthday;
    private readonly long _defaultMaxRedeemShareBasisPoints;

    public LoyaltyPolicy(IEnumerable<EarningRule> rules, decimal defaultMaxRedeemShare)
    {
        var active = rules.Where(r => r.IsActive).OrderByDescending(r => r.Priority).ThenBy(r => r.Id).ToList();
        _purchase = active.Where(r => r.Kind == EarningRuleKind.Purchase).ToList();
        _welcome = active.Where(r => r.Kind == EarningRuleKind.Welcome).ToList();
        _birthday = active.Where(r => r.Kind == EarningRuleKind.Birthday).ToList();
        _defaultMaxRedeemShareBasisPoints = (long)Math.Round(defaultMaxRedeemShare * 10_000m);
        ReferencedSegments = active.Select(r => r.Conditions.SegmentId).OfType<int>().Distinct().ToList();
    }

    /// <summary>Segments whose membership the active rules ask about; the caller finds which of them a customer is in.</summary>
    public IReadOnlyList<int> ReferencedSegments { get; }

    /// <summary>The smallest activation delay of the purchase rules (the generators plan activations with it).</summary>
    public int? ShortestActivationDelayDays => _purchase.Count == 0 ? null : _purchase.Min(r => r.ActivationDelayDays);

    public sealed record Accrual(EarningRule Rule, Money Amount, DateTime ActivatesAtUtc, DateTime ExpiresAtUtc);

    /// <summary>What each rule accrues on a purchase, in the order the rules are applied.</summary>
    public List<Accrual> Accruals(PurchaseFacts purchase)
    {
        var accruals = new List<Accrual>();
        foreach (var rule in _purchase.Where(r => Holds(r, purchase)))
        {
            var amount = rule.PointsMinor is { } points ? new Money(points) : PercentOf(PaidOfMatchingLines(rule, purchase), rule.PercentBasisPoints ?? 0);
            if (amount.Minor <= 0) continue;
            accruals.Add(Lot(rule, amount, purchase.OccurredAtUtc));
            if (rule.Exclusive) break;
        }
        return accruals;
    }

    /// <summary>Welcome rules for a customer that an event of <paramref name="facts"/> created.</summary>
    public List<Accrual> WelcomeAccruals(PurchaseFacts facts) => FixedAccruals(_welcome, facts);

    /// <summary>Birthday rules on the customer's birthday.</summary>
    public List<Accrual> BirthdayAccruals(PurchaseFacts facts) => FixedAccruals(_birthday, facts);

    public bool HasBirthdayRules => _birthday.Count > 0;

    public Money AccrualTotal(PurchaseFacts purchase) => new(Accruals(purchase).Sum(a => a.Amount.Minor));

    /// <summary>Share of a check payable with points: the lowest that a matching rule sets, else the installation default.</summary>
    public long MaxRedeemShareBasisPoints(PurchaseFacts purchase) =>
        _purchase.Where(r => r.MaxRedeemShareBasisPoints is not null && Holds(r, purchase))
            .Select(r => (long)r.MaxRedeemShareBasisPoints!.Value)
            .DefaultIfEmpty(_defaultMaxRedeemShareBasisPoints)
            .Min();

    /// <summary>The most points a check can take: limited by the active balance and the share rule.</summary>
    public Money MaxRedeemable(PurchaseFacts purchase, Money active) =>
        Money.Max(Money.Zero, Money.Min(active, purchase.Total.PercentDown(MaxRedeemShareBasisPoints(purchase))));

    public static bool Holds(EarningRule rule, PurchaseFacts p)
    {
        var c = rule.Conditions;
        return (c.Channels.Count == 0 || c.Channels.Contains(p.Channel))
            && (c.StoreCodes.Count == 0 || (p.StoreCode is { } store && c.StoreCodes.Contains(store, StringComparer.OrdinalIgnoreCase)))
            && (c.Tiers.Count == 0 || c.Tiers.Contains(p.Tier, StringComparer.OrdinalIgnoreCase))
            && (c.MinTotalMinor is not { } min || p.Total.Minor >= min)
            && (c.ValidFromUtc is not { } from || p.OccurredAtUtc >= from)
            && (c.ValidToUtc is not { } to || p.OccurredAtUtc < to)
            && (c.SegmentId is not { } segment || p.Segments.Contains(segment))
            && (!c.MatchesLines || p.Lines.Any(l => LineMatches(c, l)));
    }

    private static bool LineMatches(EarningRuleConditions c, LinePayload line) =>
        (c.Categories.Count == 0 || (line.Category is { } cat && c.Categories.Contains(cat, StringComparer.OrdinalIgnoreCase)))
        && (c.Brands.Count == 0 || (line.Brand is { } brand && c.Brands.Contains(brand, StringComparer.OrdinalIgnoreCase)));

    /// <summary>(total − bonusRedeemed) × Σ matching (quantity × unitPrice) / Σ all (quantity × unitPrice), kept exact until the percentage is taken.</summary>
    private static (Int128 Numerator, Int128 Denominator) PaidOfMatchingLines(EarningRule rule, PurchaseFacts p)
    {
        if (!rule.Conditions.MatchesLines) return (p.Paid.Minor, 1);
        Int128 all = 0, matching = 0;
        foreach (var line in p.Lines)
        {
            var value = (Int128)line.Quantity * line.UnitPriceMinor;
            all += value;
            if (LineMatches(rule.Conditions, line)) matching += value;
        }
        return all == 0 ? (0, 1) : ((Int128)p.Paid.Minor * matching, all);
    }

    private static Money PercentOf((Int128 Numerator, Int128 Denominator) paid, int basisPoints) =>
        new((long)(paid.Numerator * basisPoints / (paid.Denominator * 10_000)));

    private static List<Accrual> FixedAccruals(List<EarningRule> rules, PurchaseFacts facts) =>
        rules.Where(r => r.PointsMinor is > 0 && Holds(r, facts)).Select(r => Lot(r, new Money(r.PointsMinor!.Value), facts.OccurredAtUtc)).ToList();

    private static Accrual Lot(EarningRule rule, Money amount, DateTime at)
    {
        var activates = at.AddDays(rule.ActivationDelayDays);
        return new Accrual(rule, amount, activates, activates.AddDays(rule.LifetimeDays));
    }
}
