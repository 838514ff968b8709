namespace OmniConsole.Core.Loyalty;

public enum BonusLotKind { Accrual, Restored, Transferred, Welcome, Birthday, PromoCode, Adjustment }

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
    /// <summary>The version of the rule that made the lot.</summary>
    public int? RuleVersion { get; set; }
    /// <summary>The timeline got its "bonus activated" / "bonus expired" item (set by the lifecycle job).</summary>
    public bool ActivationRecorded { get; set; }
    public bool ExpiryRecorded { get; set; }

    // The balance's rule, in one place for every query that reads it (balances, segments, exports, campaign facts):
    // a lot counts while points remain and it has not expired; it is pending before its activation, active from it.

    /// <summary>Lots that count in a balance at <paramref name="now"/>.</summary>
    public static System.Linq.Expressions.Expression<Func<BonusLot, bool>> CountsAt(DateTime now) => l => l.RemainingMinor > 0 && l.ExpiresAtUtc > now;

    /// <summary>Lots whose points can be spent at <paramref name="now"/>.</summary>
    public static System.Linq.Expressions.Expression<Func<BonusLot, bool>> ActiveAt(DateTime now) => l => l.RemainingMinor > 0 && l.ExpiresAtUtc > now && l.ActivatesAtUtc <= now;

    /// <summary>Lots whose points are not active yet at <paramref name="now"/>.</summary>
    public static System.Linq.Expressions.Expression<Func<BonusLot, bool>> PendingAt(DateTime now) => l => l.RemainingMinor > 0 && l.ExpiresAtUtc > now && l.ActivatesAtUtc > now;

    /// <summary><see cref="ActiveAt"/> for a lot in memory.</summary>
    public bool IsActiveAt(DateTime now) => ActivatesAtUtc <= now && now < ExpiresAtUtc;

    /// <summary><see cref="PendingAt"/> for a lot in memory.</summary>
    public bool IsPendingAt(DateTime now) => ActivatesAtUtc > now;
}
