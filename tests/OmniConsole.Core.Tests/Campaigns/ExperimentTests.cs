using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Tests.Campaigns;

/// <summary>Who is held out, who gets which variant, and the uplift's arithmetic.</summary>
public sealed class ExperimentTests
{
    [Fact]
    public void TheControlGroupIsStableAndItsShare()
    {
        var ids = Enumerable.Range(1, 100_000).Select(i => (long)i).ToList();
        var control = ids.Count(id => Experiment.IsControl("cmp-261207-a", id, 10));
        Assert.InRange(control, 9_500, 10_500);
        // The same answer every time, and another campaign holds out other customers.
        Assert.Equal(ids.Where(id => Experiment.IsControl("cmp-261207-a", id, 10)), ids.Where(id => Experiment.IsControl("cmp-261207-a", id, 10)));
        var both = ids.Count(id => Experiment.IsControl("cmp-261207-a", id, 10) && Experiment.IsControl("cmp-261207-b", id, 10));
        Assert.InRange(both, 800, 1_200); // independent: about 10 % of 10 %
        Assert.Equal(0, ids.Count(id => Experiment.IsControl("cmp-261207-a", id, 0)));
        Assert.Equal(0, ids.Count(id => Experiment.IsControl("cmp-261207-a", id, null)));
    }

    [Fact]
    public void VariantsAreSharedInProportionToTheirWeights()
    {
        IReadOnlyList<ParsedVariant> variants = [new(1, null, null, null, "A"), new(3, null, null, null, "B")];
        var shares = Enumerable.Range(1, 40_000).Select(i => Experiment.VariantOf("cmp-x", 0, i, variants)!.Value).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(shares[0], 9_400, 10_600);
        Assert.InRange(shares[1], 29_400, 30_600);
        Assert.Equal(Experiment.VariantOf("cmp-x", 0, 42, variants), Experiment.VariantOf("cmp-x", 0, 42, variants));
        Assert.Null(Experiment.VariantOf("cmp-x", 0, 42, null));
    }

    [Fact]
    public void UpliftIsTheDifferenceOfRatesWithItsNinetyFivePercentInterval()
    {
        // Treated 120 of 1,000 bought (12 %), control 10 of 100 (10 %): +2 points, se = √(.12·.88/1000 + .1·.9/100) = 0.031711.
        var uplift = Uplift.Of(new ExperimentSide(1_000, 120, new Money(600_000_00)), new ExperimentSide(100, 10, new Money(40_000_00)))!;
        Assert.Equal(2.00m, uplift.ConversionPoints);
        Assert.Equal(-4.22m, uplift.Low);  // 2 − 1.96 × 3.1711
        Assert.Equal(8.22m, uplift.High);
        Assert.False(uplift.Significant);
        Assert.Equal(200m, uplift.RevenuePerCustomer.Major); // 600 ₽ − 400 ₽ a customer

        var clear = Uplift.Of(new ExperimentSide(10_000, 1_500, new Money(0)), new ExperimentSide(10_000, 1_000, new Money(0)))!;
        Assert.True(clear.Significant);
        Assert.Null(Uplift.Of(new ExperimentSide(10, 1, new Money(0)), new ExperimentSide(0, 0, new Money(0))));
    }
}
