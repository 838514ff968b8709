using OmniConsole.Core.Channels;

namespace OmniConsole.Core.Loyalty;

/// <summary>
/// How purchases earn bonus points: a percentage of the paid amount, pending for a delay, then active for a lifetime.
/// Every active rule that applies to a purchase's channel accrues its own lot.
/// </summary>
public class EarningRule
{
    public const int DefaultRuleId = 1;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Share of the paid amount in basis points (500 = 5 %).</summary>
    public int PercentBasisPoints { get; set; }
    /// <summary>Channels the rule applies to; empty means all channels.</summary>
    public List<Channel> Channels { get; set; } = [];
    public int ActivationDelayDays { get; set; }
    public int LifetimeDays { get; set; }
    /// <summary>Share of a check payable with points under this rule, in basis points; null uses the installation default.</summary>
    public int? MaxRedeemShareBasisPoints { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAtUtc { get; set; }

    public bool AppliesTo(Channel channel) => IsActive && (Channels.Count == 0 || Channels.Contains(channel));
}
