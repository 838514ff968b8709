using System.Globalization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Web.Components.Pages.Customers;

/// <summary>A bonus ledger entry in the reader's words: the card's ledger and the customer's data workbook.</summary>
public static class LedgerText
{
    public static string Kind(BonusEntryKind kind, IStringLocalizer L) => kind switch
    {
        BonusEntryKind.Accrual => L["Accrual"],
        BonusEntryKind.Redemption => L["Redemption"],
        BonusEntryKind.AccrualReversal => L["Accrual reversed (return)"],
        BonusEntryKind.RedemptionRestore => L["Redeemed points restored (return)"],
        BonusEntryKind.WriteOff => L["Written off"],
        BonusEntryKind.Expiry => L["Expired"],
        BonusEntryKind.MergedIn => L["Moved in by a merge"],
        BonusEntryKind.Adjustment => L["Manual adjustment"],
        _ => kind.ToString(),
    };

    /// <summary>The app's own notes in the reader's language; a manual adjustment's note is what staff typed.</summary>
    public static string? Note(BonusEntryKind kind, string? note, IStringLocalizer L) =>
        kind == BonusEntryKind.Adjustment ? note : LedgerNotes.Known.Translate(note, s => L[s], CultureInfo.CurrentCulture);
}
