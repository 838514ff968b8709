using System.Text.Json;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// The trigger kinds as the API and the editor name them ("cartAbandoned"), and which parameters each takes: one home
/// for the campaign's validation and the editor's fields.
/// </summary>
public static class TriggerKindNames
{
    public static IReadOnlyList<TriggerKind> All { get; } = Enum.GetValues<TriggerKind>();

    public static string ApiName(this TriggerKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    /// <summary>A kind by its API name (case and underscores aside: "cart_abandoned" is cartAbandoned); never by number.</summary>
    public static bool TryParse(string? name, out TriggerKind kind)
    {
        kind = default;
        return name is { Length: > 0 } && !int.TryParse(name, out _) && Enum.TryParse(name.Replace("_", ""), ignoreCase: true, out kind);
    }

    /// <summary>Hours: after the cart was left, or after the event.</summary>
    public static bool TakesHours(this TriggerKind kind) => kind is TriggerKind.CartAbandoned or TriggerKind.AfterEvent;

    /// <summary>Days: without a purchase, after a purchase, before points expire.</summary>
    public static bool TakesDays(this TriggerKind kind) => kind is TriggerKind.NoPurchase or TriggerKind.AfterPurchase or TriggerKind.PointsExpiring;

    /// <summary>The event (and its channel) the flow follows.</summary>
    public static bool TakesEvent(this TriggerKind kind) => kind is TriggerKind.AfterEvent;

    /// <summary>The saved segment whose entries or leavers start the flow.</summary>
    public static bool WatchesSegment(this TriggerKind kind) => kind is TriggerKind.SegmentEntered or TriggerKind.SegmentLeft;
}
