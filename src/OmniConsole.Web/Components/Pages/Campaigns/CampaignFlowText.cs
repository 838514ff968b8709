using Microsoft.Extensions.Localization;
using OmniConsole.Core.Campaigns;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Components.Pages.Campaigns;

/// <summary>A launched campaign's flow as people read it: "Wait 24 h, unless opened", "Trigger: birthday".</summary>
public static class CampaignFlowText
{
    public static string Wait(TimeSpan wait, WaitUnless? unless, IStringLocalizer L)
    {
        var length = wait.TotalDays >= 1 && wait.TotalDays % 1 == 0 ? L.Count((long)wait.TotalDays, "day|days")
            : wait.TotalHours % 1 == 0 ? L.Count((long)wait.TotalHours, "hour|hours") : L.Count((long)wait.TotalMinutes, "minute|minutes");
        var text = L["Wait {0}", length].Value;
        return unless switch
        {
            WaitUnless.Opened => L["{0}, unless the customer opened the previous message", text],
            WaitUnless.Clicked => L["{0}, unless the customer clicked in the previous message", text],
            WaitUnless.Purchased => L["{0}, unless the customer bought something", text],
            _ => text,
        };
    }

    /// <summary>What starts the flow: the launch, or a trigger with its hours, days or watched segment.</summary>
    public static string Start(CampaignTrigger? trigger, IStringLocalizer L, IReadOnlyDictionary<int, string>? segmentNames = null)
    {
        if (trigger?.Kind is not { } kind) return L["At launch, for the whole audience"];
        var name = L[$"Trigger: {kind}"].Value;
        if (trigger.EventType is { } type) return $"{name} · {L[type]} · {L.Count(trigger.Hours ?? 0, "hour|hours")}";
        return trigger.Hours is { } hours ? $"{name} · {L.Count(hours, "hour|hours")}" : trigger.Days is { } days ? $"{name} · {L.Count(days, "day|days")}"
            : trigger.SegmentId is { } segment ? $"{name} · {segmentNames?.GetValueOrDefault(segment) ?? L["segment {0}", segment]}" : name;
    }

    /// <summary>The audience as a sentence: the segment, and the segments whose members are left out.</summary>
    public static string Audience(CampaignService.View view, IReadOnlyDictionary<int, string> segmentNames, IStringLocalizer L)
    {
        string Name(int id) => segmentNames.GetValueOrDefault(id) ?? L["segment {0}", id];
        var audience = view.SegmentId is { } segment ? Name(segment) : "—";
        return view.ExcludeSegmentIds.Count == 0 ? audience : $"{audience}, {L["not counting members of"]} {string.Join(", ", view.ExcludeSegmentIds.Select(Name))}";
    }

    /// <summary>One row per step of the definition, in order: a send step with its figures and content, or a wait with who is in it.</summary>
    public sealed record FlowRow(CampaignResults.StepResult? Send, CampaignResults.WaitResult? Wait, CampaignStep? Definition);

    public static IReadOnlyList<FlowRow> Rows(CampaignResults.Results r, CampaignService.View? view) =>
        r.Steps.Select(s => (s.Step, Row: new FlowRow(s, null, view?.Steps.ElementAtOrDefault(s.Step))))
            .Concat(r.Waits.Select(w => (w.Step, Row: new FlowRow(null, w, null)))).OrderBy(x => x.Step).Select(x => x.Row).ToList();

    /// <summary>A step's content in a line: the e-mail's subject, or the start of the text.</summary>
    public static string Content(CampaignStep step) =>
        step.Subject is { Length: > 0 } subject ? subject : step.Text is { } text ? (text.Length > 120 ? text[..120] + "…" : text) : "";
}
