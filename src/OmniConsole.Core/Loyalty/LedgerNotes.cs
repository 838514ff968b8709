using OmniConsole.Core.Common;

namespace OmniConsole.Core.Loyalty;

/// <summary>
/// The notes loyalty effects and the bonus job write on ledger entries, in English as stored; the card reads them in the
/// reader's language. The texts are those <see cref="LoyaltyEffects"/> and <see cref="BonusLifecycle"/> write (a test pins
/// them); a note in other words is shown as written. Staff adjustments' notes are their reasons, shown as typed.
/// </summary>
public static class LedgerNotes
{
    public static StoredTemplates Known { get; } = new(
    [
        "Return of order {0}: {1} points already spent, written off",
        "Return of order {0}: points already spent",
        "Return of order {0}",
        "Paid for order {0}",
        "Expired",
        Audit.AuditText.Erased, // a staff note on an erased customer's points
    ]);
}
