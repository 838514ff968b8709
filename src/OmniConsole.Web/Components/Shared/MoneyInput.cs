using System.Globalization;
using OmniConsole.Core.Common;

namespace OmniConsole.Web.Components.Shared;

/// <summary>
/// An amount typed by a person: "4,20", "4.20", "1 250,5" or "4.20 ₽" all read as they mean, whatever the UI's culture
/// (a Russian keyboard's numpad types a dot). Null: not an amount with at most 2 decimals, or negative.
/// </summary>
public static class MoneyInput
{
    public static Money? Parse(string? text)
    {
        var t = (text ?? "").Replace("₽", "").Replace("\u00a0", "").Replace("\u202f", "").Replace(" ", "").Trim();
        if (t.Length == 0) return null;
        // One separator, comma or dot, is the decimal one; anything else (two separators, letters) is not an amount.
        t = t.Replace(',', '.');
        if (t.Count(c => c == '.') > 1 || !decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major)) return null;
        return Money.TryFromMajor(major, out var money) ? money : null;
    }

    /// <summary>How the field shows an amount to edit: the culture's decimal separator, no group separators or sign.</summary>
    public static string Edit(Money money) => money.Major.ToString("0.00", CultureInfo.CurrentCulture);
}
