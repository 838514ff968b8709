using System.Globalization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Campaigns;

namespace OmniConsole.Web.Components.Pages.Campaigns;

/// <summary>An experiment's figures in words, the same on the results page and in its workbook.</summary>
public static class ExperimentText
{
    /// <summary>"+2.00 points (95 %: −4.22 … +8.22)".</summary>
    public static string Uplift(Uplift uplift, IStringLocalizer L) =>
        L["{0} points (95 %: {1} … {2})", Signed(uplift.ConversionPoints), Signed(uplift.Low), Signed(uplift.High)];

    /// <summary>Whether the difference is likely to be the campaign's doing, in plain words.</summary>
    public static string Verdict(ExperimentResult experiment, IStringLocalizer L) => experiment.Uplift switch
    {
        null => L["No verdict yet: both the control group and the treated customers need members."],
        { Significant: true, ConversionPoints: > 0 } => L["Significant: the campaign made more customers buy than would have bought anyway."],
        { Significant: true } => L["Significant: fewer customers bought with the campaign than without it."],
        _ => L["Not significant: the difference could be chance. A larger audience or a longer run would tell."],
    };

    /// <summary>A side's conversion rate in percent with two decimals.</summary>
    public static string Rate(ExperimentSide side) => (side.Rate * 100).ToString("N2", CultureInfo.CurrentCulture) + " %";

    /// <summary>A step's variant content in a line: the e-mail's subject, or the start of the text.</summary>
    public static string Content(CampaignStep? step, int variant) =>
        step?.Variants?.ElementAtOrDefault(variant) is { } v ? CampaignFlowText.Content(new CampaignStep { Subject = v.Subject, Text = v.Text }) : "";

    private static string Signed(decimal value) => (value > 0 ? "+" : "") + value.ToString("N2", CultureInfo.CurrentCulture);
}
