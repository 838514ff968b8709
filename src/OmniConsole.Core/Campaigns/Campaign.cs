using OmniConsole.Core.Channels;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// A campaign as far as the timeline needs it: the id message providers send and a name to show.
/// The campaigns capability adds audiences, steps and schedules to it.
/// </summary>
public class Campaign
{
    /// <summary>The id providers send as <c>message.campaignId</c>.</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public Channel? Channel { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
