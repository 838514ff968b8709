namespace OmniConsole.Core.Loyalty;

public enum BonusLotKind { Accrual, Restored, Transferred, Adjustment }

/// <summary>
/// Points that became the customer's at one time and share one activation and expiry date.
/// Redemptions and reversals draw down <see cref="RemainingMinor"/>; the balance is the sum of what remains:
/// pending before <see cref="ActivatesAtUtc"/>, active until <see cref="ExpiresAtUtc"/>.
/// </summary>
public class BonusLot
{
    public long Id { get; set; }
    public long CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    public BonusLotKind Kind { get; set; }
    public long AmountMinor { get; set; }
    public long RemainingMinor { get; set; }
    public DateTime ActivatesAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public long? OrderId { get; set; }
    public Orders.Order? Order { get; set; }
    public int? RuleId { get; set; }
    /// <summary>The timeline got its "bonus activated" / "bonus expired" item (set by the lifecycle job).</summary>
    public bool ActivationRecorded { get; set; }
    public bool ExpiryRecorded { get; set; }
}
