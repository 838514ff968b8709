using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Loyalty;
using OmniConsole.Web.Components.Pages.Loyalty;

namespace OmniConsole.Web.Components.Pages.Admin;

/// <summary>
/// An audit entry's details as the page and its Excel file show them: stored English read in the reader's language, and
/// an earning rule's version (stored as the rule's JSON, the record that does not change) read as the rule in words.
/// </summary>
public static class AuditDetails
{
    public static string Show(string? stored, AuditAction action, IStringLocalizer L)
    {
        var text = AuditText.Translate(stored, s => L[s], CultureInfo.CurrentCulture);
        if (action is not (AuditAction.EarningRuleCreated or AuditAction.EarningRuleChanged)) return text;
        var json = text.IndexOf(": {", StringComparison.Ordinal);
        if (json < 0 || !text.EndsWith('}')) return text;
        try
        {
            return JsonSerializer.Deserialize<RuleView>(text[(json + 2)..], Core.Data.JsonValue.Options) is { Conditions: not null } rule
                ? text[..(json + 2)] + RuleText.Summary(rule, L)
                : text;
        }
        catch (JsonException) { return text; } // an older snapshot's shape: shown as stored
    }
}
