using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;
using OmniConsole.Web.Components.Pages.Loyalty;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Components.Pages.Admin;

/// <summary>
/// An audit entry's details as the page and its Excel file show them: stored English read in the reader's language, and
/// a version of an earning rule or a segment (stored as its JSON, the record that does not change) read in words.
/// </summary>
public static class AuditDetails
{
    public static string Show(string? stored, AuditAction action, IStringLocalizer L)
    {
        var text = AuditText.Translate(stored, s => L[s], CultureInfo.CurrentCulture);
        var json = text.IndexOf(": {", StringComparison.Ordinal);
        if (json < 0 || !text.EndsWith('}')) return text;
        var (head, definition) = (text[..(json + 2)], text[(json + 2)..]);
        switch (action)
        {
            case AuditAction.EarningRuleCreated or AuditAction.EarningRuleChanged:
                try
                {
                    return JsonSerializer.Deserialize<RuleView>(definition, Core.Data.JsonValue.Options) is { Conditions: not null } rule
                        ? head + RuleText.Summary(rule, L)
                        : text;
                }
                catch (JsonException) { return text; } // an older snapshot's shape: shown as stored
            case AuditAction.SegmentCreated or AuditAction.SegmentChanged:
                return SegmentDefinition.Parse(definition) is { IsValid: true } segment
                    ? head + SegmentDescriber.Describe(segment.Node!, text: ResourceExportText.Of(L))
                    : text;
            default:
                return text;
        }
    }
}
