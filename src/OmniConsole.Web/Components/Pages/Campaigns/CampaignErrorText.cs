using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Components.Pages.Campaigns;

/// <summary>
/// The editor's words for the service's errors: the API names a field by its path (<c>steps[2].text</c>, counted from 0);
/// the editor says "Step 3 · text", and says messages that point at configuration keys in a user's terms.
/// </summary>
public static partial class CampaignErrorText
{
    [GeneratedRegex(@"^steps\[(\d+)\](?:\.(.+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex StepField();

    /// <summary>The step a field is in (0-based) and the field within it ("" for the step itself); null for a campaign's own field.</summary>
    public static (int Step, string Field)? InStep(string field) =>
        StepField().Match(field) is { Success: true } m ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value) : null;

    /// <summary>"Step 3 · text", "Audience"; a field the editor does not know by name is shown as the API names it.</summary>
    public static string Where(IStringLocalizer L, string field)
    {
        if (InStep(field) is { } s)
            return s.Field.Length == 0 ? L["Step {0}", s.Step + 1] : L["Step {0} · {1}", s.Step + 1, FieldName(L, s.Field)];
        var name = FieldName(L, Regex.Replace(field, @"\[\d+\]$", ""));
        return name.Length == 0 ? "" : char.ToUpper(name[0], CultureInfo.CurrentUICulture) + name[1..];
    }

    [GeneratedRegex(@"^variants\[(\d+)\](?:\.(.+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex VariantField();

    /// <summary>A field's name in the user's language, lower case ("text", "текст"; "variant B · text").</summary>
    public static string FieldName(IStringLocalizer L, string field) => VariantField().Match(field) is { Success: true } v
        ? L["Field: variant {0}", VariantModel.Letter(int.Parse(v.Groups[1].Value, CultureInfo.InvariantCulture))]
          + (v.Groups[2].Success ? " · " + FieldName(L, v.Groups[2].Value) : "")
        : field switch
        {
            "" => "",
            "controlGroupPercent" => L["Field: controlGroupPercent"],
            "variants" => L["Field: variants"],
            "weight" => L["Field: weight"],
            "survey.channel" => L["Field: channel"],
            "survey.question" => L["Field: question"],
            "survey.scale" => L["Field: scale"],
            "survey.text" => L["Field: text"],
            "name" => L["Field: name"],
            "segmentId" => L["Field: segmentId"],
            "excludeSegmentIds" => L["Field: excludeSegmentIds"],
            "steps" => L["Field: steps"],
            "channel" => L["Field: channel"],
            "fallbackChannel" => L["Field: fallbackChannel"],
            "subject" => L["Field: subject"],
            "body" => L["Field: body"],
            "text" => L["Field: text"],
            "promoCampaignId" => L["Field: promoCampaignId"],
            "wait" => L["Field: wait"],
            "unless" => L["Field: unless"],
            "trigger" or "trigger.kind" => L["Field: trigger"],
            "trigger.hours" => L["Field: trigger.hours"],
            "trigger.days" => L["Field: trigger.days"],
            "trigger.segmentId" => L["Field: trigger.segmentId"],
            "trigger.eventType" => L["Field: trigger.eventType"],
            "trigger.channel" => L["Field: channel"],
            _ => field,
        };

    /// <summary>The message in the user's language; those that name a configuration key or the API's duration format are said for the editor.</summary>
    public static string Message(IStringLocalizer L, string message)
    {
        if (ServiceMessages.Match(message) is not { } m) return L.Message(message);
        return m.Template switch
        {
            CampaignMessages.SmsTooLong => L["The SMS is longer than {0}: it takes {1}.", L.Count(Number(m.Values[1]), "part|parts"),
                L.Count(Number(m.Values[0]), "part|parts")],
            // The channel has no provider: the configuration key is the administrator's business.
            CampaignMessages.NoProviderFor => L.Message(ServiceMessages.Format(CampaignMessages.NoFallbackProviderFor, m.Values[0])),
            // The editor builds the duration from a number and a unit; only its amount can be wrong.
            CampaignMessages.NotADuration => L["A wait is a whole number of minutes, hours or days, from a minute to a year."],
            _ => L.Message(message),
        };
    }

    /// <summary>"Step 3 · text: The message needs a text."</summary>
    public static string Describe(IStringLocalizer L, FieldError error) =>
        Where(L, error.Field) is { Length: > 0 } where ? $"{where}: {Message(L, error.Message)}" : Message(L, error.Message);

    private static long Number(string formatted) =>
        long.TryParse(formatted, NumberStyles.Number, CultureInfo.CurrentCulture, out var n) ? n
        : long.TryParse(formatted, NumberStyles.Number, CultureInfo.InvariantCulture, out n) ? n : 0;
}
