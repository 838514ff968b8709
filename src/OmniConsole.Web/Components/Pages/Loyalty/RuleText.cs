using System.Globalization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Web.Components.Pages.Loyalty;

/// <summary>An earning rule in the staff's words: its kind, status, what it earns, and the whole rule in one line (the audit log's).</summary>
public static class RuleText
{
    public static string Kind(string kind, IStringLocalizer L) => kind switch { "welcome" => L["Welcome"], "birthday" => L["Birthday"], _ => L["On purchase"] };

    public static string Status(string status, IStringLocalizer L) =>
        status switch { "active" => L["In effect"], "paused" => L["Paused"], "ended" => L["Ended"], _ => L["Draft"] };

    public static string Earns(RuleView r, IStringLocalizer L) =>
        r.Percent is { } p ? $"{p:0.##} %" : r.Points is { } pts ? string.Format(L["{0} points"], pts.ToString("N2")) : "";

    /// <summary>The whole rule, as a version of it reads in the audit log ("В день рождения; действует; 300,00 бонусов; …").</summary>
    public static string Summary(RuleView r, IStringLocalizer L)
    {
        var c = r.Conditions;
        var parts = new List<string> { Kind(r.Kind, L), Status(r.Status, L), Earns(r, L), L["priority {0}", r.Priority] };
        if (r.Exclusive) parts.Add(L["Exclusive"]);
        if (c.Channels.Count > 0)
            parts.Add(L["channels: {0}", string.Join(", ", c.Channels.Select(ch => ChannelNames.TryParseClient(ch, out _) ? L[ch].Value : ch))]);
        if (c.Categories.Count > 0) parts.Add(L["categories: {0}", string.Join(", ", c.Categories)]);
        if (c.Brands.Count > 0) parts.Add(L["brands: {0}", string.Join(", ", c.Brands)]);
        if (c.StoreCodes.Count > 0) parts.Add(L["stores: {0}", string.Join(", ", c.StoreCodes)]);
        if (c.Tiers.Count > 0) parts.Add(L["tiers: {0}", string.Join(", ", c.Tiers)]);
        if (c.MinTotal is { } min) parts.Add(L["check from {0}", min.ToString("N2", CultureInfo.CurrentCulture)]);
        if (c.SegmentId is { } segment) parts.Add(L["segment #{0}", segment]);
        parts.Add(L["pending {0} d, active {1} d", r.ActivationDays, r.LifetimeDays]);
        return string.Join("; ", parts.Where(p => p.Length > 0));
    }
}
