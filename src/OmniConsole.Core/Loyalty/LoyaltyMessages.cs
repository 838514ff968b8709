using OmniConsole.Core.Common;
namespace OmniConsole.Core.Loyalty;

/// <summary>
/// What <see cref="EarningRuleService"/>, <see cref="TierService"/> and <see cref="PromoCampaignService"/> answer when they
/// refuse a rule, the tiers or a promo campaign: the templates of the API's English messages, which the loyalty pages
/// show in their reader's language (see <see cref="Common.ServiceMessages"/>).
/// </summary>
[MessageTemplates]
public static class LoyaltyMessages
{
    public const string RuleEnded = "This rule has ended; an ended rule stays as it was. Duplicate it to run it again.";
    public const string RuleNeedsName = "A rule needs a name of 1 to 200 characters.";
    public const string RuleKinds = "kind is purchase, welcome or birthday.";
    public const string RuleKindFixed = "A rule's kind cannot change; create a new rule.";
    public const string RuleStatuses = "status is draft, active, paused or ended.";
    /// <summary>{0} and {1}: statuses, as <see cref="EarningRuleService.StatusName"/> spells them.</summary>
    public const string RuleTransition = "A {0:rule-} rule cannot become {1:rule-}.";
    public const string RulePercent = "percent is from 0 to 100 with at most 2 decimals.";
    public const string RulePoints = "points is more than 0, with at most 2 decimals.";
    public const string PercentOrPoints = "A rule accrues either a percent or points, not both.";
    public const string PurchaseRuleEarns = "A purchase rule needs percent (0–100) or points.";
    /// <summary>{0}: the kind (welcome, birthday).</summary>
    public const string KindAccruesPoints = "A {0:rule-kind-} rule accrues points: give points.";
    public const string PercentOnPurchase = "Only purchase rules accrue a percent.";
    public const string ActivationDays = "activationDays is from 0 to 3650.";
    public const string LifetimeDays = "lifetimeDays is from 1 to 3650.";
    public const string MaxRedeemShare = "maxRedeemShare is a share from 0 to 1 (0.3 = 30 %).";
    public const string UnknownChannel = "Unknown channel '{0}'.";
    public const string ConditionValue = "Each value is a text of 1 to 200 characters.";
    public const string MinTotal = "minTotal is an amount of at least 0 with at most 2 decimals.";
    public const string ValidToAfterFrom = "validTo is after validFrom.";

    public const string FirstTierAtZero = "The first tier starts at 0: every customer is on some tier.";
    /// <summary>{0}: a tier's shape in JSON.</summary>
    public const string NotATier = "A tier is {0}.";
    public const string TierNeedsName = "A tier needs a name.";
    public const string TierNameTooLong = "A tier name is at most 32 characters.";
    public const string TierThreshold = "The threshold is an amount of money of at least 0 with at most 2 decimals.";
    public const string TiersAscending = "Tiers are listed in ascending order of their thresholds, each above the one before.";
    public const string TierTwice = "Tier {0} is listed twice.";

    public const string CodeExists = "Code {0} already exists.";
    public const string PromoNeedsName = "A promo campaign needs a name of 1 to 200 characters.";
    public const string PromoKinds = "kind is shared or unique.";
    public const string SharedCode = "A shared campaign needs its code: 3 to 64 letters, digits, '-' or '_'.";
    /// <summary>{0}: the most codes, formatted.</summary>
    public const string UniqueCount = "A unique campaign generates from 1 to {0} codes: give count.";
    public const string OneOffer = "Give exactly one of discountPercent, discountAmount or bonusPoints.";
    public const string DiscountPercent = "discountPercent is a whole number from 1 to 100.";
    public const string DiscountAmount = "discountAmount is more than 0, with at most 2 decimals.";
    public const string BonusPoints = "bonusPoints is more than 0, with at most 2 decimals.";
    public const string UsesPerCode = "usesPerCode is at least 1.";
    public const string UsesPerCustomer = "usesPerCustomer is at least 1.";
    /// <summary>{0}: how many codes, formatted; {1}: the campaign's name.</summary>
    public const string CodesHandedOut = "All {0} codes of '{1}' are handed out.";
}
