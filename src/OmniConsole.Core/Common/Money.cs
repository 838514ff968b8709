using System.Globalization;

namespace OmniConsole.Core.Common;

/// <summary>
/// An amount of roubles (or bonus points, 1 point = 1 rouble) in minor units.
/// Entities keep plain <c>long</c> "...Minor" columns so both providers can sum and sort them in SQL;
/// this type does the conversions and formatting around them.
/// </summary>
public readonly record struct Money(long Minor) : IComparable<Money>
{
    public static readonly Money Zero = new(0);

    public decimal Major => Minor / 100m;

    /// <summary>Major units with at most 2 decimals; more decimals is an input error the caller reports.</summary>
    public static bool TryFromMajor(decimal major, out Money money)
    {
        money = default;
        if (Math.Abs(major) > long.MaxValue / 400m) return false; // ×100 would overflow decimal or long: not an amount
        var scaled = major * 100m;
        if (scaled != decimal.Truncate(scaled) || Math.Abs(scaled) > long.MaxValue / 4) return false;
        money = new Money((long)scaled);
        return true;
    }

    public static Money FromMajor(decimal major) =>
        TryFromMajor(major, out var m) ? m : throw new ArgumentException($"{major} has more than 2 decimals.", nameof(major));

    /// <summary>Share of this amount, rounded down to a kopeck (accruals are always rounded down).</summary>
    public Money PercentDown(long basisPoints) => new(Minor * basisPoints / 10_000);

    public static Money operator +(Money a, Money b) => new(a.Minor + b.Minor);
    public static Money operator -(Money a, Money b) => new(a.Minor - b.Minor);
    public static bool operator <(Money a, Money b) => a.Minor < b.Minor;
    public static bool operator >(Money a, Money b) => a.Minor > b.Minor;
    public static bool operator <=(Money a, Money b) => a.Minor <= b.Minor;
    public static bool operator >=(Money a, Money b) => a.Minor >= b.Minor;
    public static Money Min(Money a, Money b) => a.Minor <= b.Minor ? a : b;
    public static Money Max(Money a, Money b) => a.Minor >= b.Minor ? a : b;
    public int CompareTo(Money other) => Minor.CompareTo(other.Minor);

    /// <summary>Roubles in the culture's number format with the ₽ sign, whatever the culture's own currency.</summary>
    public string Format(CultureInfo culture)
    {
        var nf = (NumberFormatInfo)culture.NumberFormat.Clone();
        nf.CurrencySymbol = "₽";
        if (culture.TwoLetterISOLanguageName != "ru")
        {
            nf.CurrencyPositivePattern = 3; // "1,234.00 ₽"
            nf.CurrencyNegativePattern = 8; // "-1,234.00 ₽"
        }
        return Major.ToString("C2", nf);
    }

    public override string ToString() => Major.ToString("0.00", CultureInfo.InvariantCulture);
}
