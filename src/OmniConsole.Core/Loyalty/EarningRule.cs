using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Loyalty;

public enum EarningRuleKind { Purchase, Welcome, Birthday }

/// <summary>Draft → active ⇄ paused → ended. Only active rules accrue; rules are never deleted (the ledger points at them).</summary>
public enum EarningRuleStatus { Draft, Active, Paused, Ended }

/// <summary>
/// How customers earn points (MANAGEMENT-API.md, loyalty): a purchase rule accrues a percentage of the paid amount of
/// the lines it matches, or fixed points; a welcome rule accrues points once when ingestion creates the customer; a
/// birthday rule on the customer's birthday, once a year. Each accrual is its own lot, pending for the activation delay
/// and then active for the lifetime, and names the rule and the <see cref="Version"/> that made it.
/// </summary>
public class EarningRule
{
    public const int DefaultRuleId = 1;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public EarningRuleKind Kind { get; set; }
    public EarningRuleStatus Status { get; set; }
    /// <summary>Higher first; ties by lower id.</summary>
    public int Priority { get; set; }
    /// <summary>Once this rule has accrued on a purchase, no rule after it does.</summary>
    public bool Exclusive { get; set; }
    /// <summary>Share of the paid amount in basis points (500 = 5 %); null for a fixed-points rule.</summary>
    public int? PercentBasisPoints { get; set; }
    /// <summary>Fixed points in kopecks (welcome and birthday rules; purchase rules may use them too).</summary>
    public long? PointsMinor { get; set; }
    public EarningRuleConditions Conditions { get; set; } = new();
    public int ActivationDelayDays { get; set; }
    public int LifetimeDays { get; set; }
    /// <summary>Share of a check payable with points under this rule, in basis points; null uses the installation default.</summary>
    public int? MaxRedeemShareBasisPoints { get; set; }
    public int Version { get; set; } = 1;
    /// <summary>Points its lots have accrued so far (kopecks), kept by every writer that accrues, for the rule list.</summary>
    public long AccruedMinor { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }

    public bool IsActive => Status == EarningRuleStatus.Active;
}

/// <summary>All optional, all must hold. Lists hold when empty or when the purchase has one of their values.</summary>
public sealed record EarningRuleConditions
{
    public List<Channel> Channels { get; init; } = [];
    public List<string> StoreCodes { get; init; } = [];
    public List<string> Categories { get; init; } = [];
    public List<string> Brands { get; init; } = [];
    public List<string> Tiers { get; init; } = [];
    /// <summary>On the order's total.</summary>
    public long? MinTotalMinor { get; init; }
    /// <summary>The purchase's occurredAt in [from, to).</summary>
    public DateTime? ValidFromUtc { get; init; }
    public DateTime? ValidToUtc { get; init; }
    /// <summary>The customer is a member of this segment when the purchase is recorded.</summary>
    public int? SegmentId { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool MatchesLines => Categories.Count > 0 || Brands.Count > 0;
}

/// <summary>Each saved state of a rule, for the audit and so an accrual's version can be read back.</summary>
public class EarningRuleVersion
{
    public long Id { get; set; }
    public int RuleId { get; set; }
    public int Version { get; set; }
    /// <summary>The rule as the API returns it, as JSON.</summary>
    public string Snapshot { get; set; } = "";
    public string ChangedBy { get; set; } = "";
    public DateTime ChangedAtUtc { get; set; }
}

/// <summary>A welcome or birthday rule's once-only accrual: unique per rule, customer and period (0 for welcome, the year for birthdays).</summary>
public class EarningRuleGrant
{
    public long Id { get; set; }
    public int RuleId { get; set; }
    public long CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    public int Period { get; set; }
    public DateTime AtUtc { get; set; }
}
