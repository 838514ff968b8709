using OmniConsole.Core.Common;
namespace OmniConsole.Core.Loyalty;

/// <summary>What moved the points. <see cref="Adjustment"/> is a staff member's manual correction (audited, with its reason as the note).</summary>
public enum BonusEntryKind { Accrual, Redemption, AccrualReversal, RedemptionRestore, WriteOff, Expiry, MergedIn, Adjustment }

/// <summary>The bonus journal: every change of a customer's points, signed (+ credit, − debit).</summary>
public class BonusLedgerEntry
{
    public long Id { get; set; }
    public long CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    public DateTime AtUtc { get; set; }
    public BonusEntryKind Kind { get; set; }
    public long AmountMinor { get; set; }
    public long? OrderId { get; set; }
    public Orders.Order? Order { get; set; }
    public long? LotId { get; set; }
    public BonusLot? Lot { get; set; }
    public string? Note { get; set; }
    /// <summary>The channel of its order and the rule of its lot, kept on the row so the loyalty report reads the ledger alone.</summary>
    public Common.Channel? Channel { get; set; }
    public int? RuleId { get; set; }
}

/// <summary>Which lot a redemption took its points from, so a return can give them back with the lot's expiry.</summary>
public class RedemptionAllocation
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    public Orders.Order? Order { get; set; }
    public long LotId { get; set; }
    public BonusLot? Lot { get; set; }
    public long AmountMinor { get; set; }
    /// <summary>How much of this allocation returns have already given back.</summary>
    public long RestoredMinor { get; set; }
    public DateTime LotExpiresAtUtc { get; set; }
}
