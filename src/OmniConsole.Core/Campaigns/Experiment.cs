using System.Text;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// Who is held out and who gets which variant: a stable hash of the campaign and the customer (FNV-1a, the same in
/// every process and release, unlike <c>string.GetHashCode</c>), so a customer is always on the same side and gets the
/// same variant whichever instance enrols them, however often they enter.
/// </summary>
public static class Experiment
{
    /// <summary>True when the customer belongs to the campaign's control group of <paramref name="percent"/> %.</summary>
    public static bool IsControl(string campaignId, long customerId, int? percent) =>
        percent is > 0 && Bucket(campaignId, "control", customerId, 10_000) < percent.Value * 100;

    /// <summary>The variant (index) of a step a customer gets, in proportion to the weights; null for a step without variants.</summary>
    public static int? VariantOf(string campaignId, int stepIndex, long customerId, IReadOnlyList<ParsedVariant>? variants)
    {
        if (variants is not { Count: > 0 }) return null;
        var total = variants.Sum(v => Math.Max(1, v.Weight));
        var at = Bucket(campaignId, "step" + stepIndex, customerId, total);
        for (var i = 0; i < variants.Count; i++)
        {
            at -= Math.Max(1, variants[i].Weight);
            if (at < 0) return i;
        }
        return variants.Count - 1;
    }

    private static int Bucket(string campaignId, string purpose, long customerId, int buckets)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"{campaignId}|{purpose}|{customerId}"))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        // The high bits mix best in FNV; fold them in before taking the remainder.
        return (int)((hash ^ (hash >> 32)) % (ulong)buckets);
    }
}

/// <summary>One side of an experiment: its customers, those who bought within the attribution window, and what they paid.</summary>
public sealed record ExperimentSide(int Customers, int Converted, Common.Money Revenue)
{
    public double Rate => Customers == 0 ? 0 : (double)Converted / Customers;
}

public sealed record ExperimentResult(ExperimentSide Control, ExperimentSide Treated, Uplift? Uplift);

/// <summary>
/// Treated minus control: the conversion rate's difference in percentage points with its 95 % interval (the normal
/// approximation of the difference of two proportions), and the revenue per customer's difference.
/// </summary>
public sealed record Uplift(decimal ConversionPoints, decimal Low, decimal High, Common.Money RevenuePerCustomer)
{
    /// <summary>The interval leaves out zero: the difference is unlikely to be chance.</summary>
    public bool Significant => Low > 0 || High < 0;

    /// <summary>Null until both sides have customers.</summary>
    public static Uplift? Of(ExperimentSide treated, ExperimentSide control)
    {
        if (treated.Customers == 0 || control.Customers == 0) return null;
        var (pt, pc) = (treated.Rate, control.Rate);
        var difference = pt - pc;
        var standardError = Math.Sqrt(pt * (1 - pt) / treated.Customers + pc * (1 - pc) / control.Customers);
        decimal Points(double rate) => Math.Round((decimal)(rate * 100), 2);
        var perCustomer = (decimal)treated.Revenue.Minor / treated.Customers - (decimal)control.Revenue.Minor / control.Customers;
        return new Uplift(Points(difference), Points(difference - 1.96 * standardError), Points(difference + 1.96 * standardError),
            new Common.Money((long)Math.Round(perCustomer, MidpointRounding.AwayFromZero)));
    }
}
