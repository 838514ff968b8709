using Microsoft.Extensions.Localization;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Web.Components.Pages.Campaigns;

/// <summary>The channels a campaign sends through, as the campaign list and the dashboard show them ("Email → SMS").</summary>
public static class CampaignChannels
{
    /// <summary>
    /// Every channel the send steps use, in the flow's order, each once; a campaign a provider sent (no steps) has its one
    /// recorded channel.
    /// </summary>
    public static string Text(IReadOnlyList<CampaignStep> steps, Channel? recorded, IStringLocalizer L)
    {
        var channels = steps.Where(s => !s.IsWait && s.Channel is { Length: > 0 }).Select(s => s.Channel!.Trim().ToLowerInvariant()).Distinct().ToList();
        if (channels.Count == 0 && recorded is { } c) channels.Add(c.ApiName());
        return channels.Count == 0 ? "—" : string.Join(" → ", channels.Select(name => L[name].Value));
    }
}
