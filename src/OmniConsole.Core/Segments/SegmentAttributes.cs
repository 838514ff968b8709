using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Segments;

public enum ValueKind { Text, Integer, Number, Money, Presence, SegmentId }

/// <summary>The families the builder groups conditions into.</summary>
public enum AttrFamily { Profile, Purchases, Behaviour, Loyalty, Segments }

/// <summary>One attribute a condition can test (MANAGEMENT-API.md, Segments): its value type, qualifiers and, where closed, its choices.</summary>
public sealed record AttrSpec(string Name, AttrFamily Family, ValueKind Kind, IReadOnlyList<string> Qualifiers,
    IReadOnlyList<string> RequiredQualifiers, IReadOnlyList<string>? Choices = null)
{
    public IReadOnlyList<string> Ops => Kind switch
    {
        ValueKind.Text => ["eq", "neq", "in"],
        ValueKind.Presence or ValueKind.SegmentId => ["eq"],
        _ => ["eq", "neq", "gt", "gte", "lt", "lte", "between"],
    };
}

public static class SegmentAttributes
{
    public const string Channel = "channel", StoreCode = "storeCode", Category = "category", Brand = "brand",
        WithinDays = "withinDays", Type = "type", CampaignId = "campaignId", Scale = "scale";

    public static readonly IReadOnlyList<string> AllQualifiers = [Channel, StoreCode, Category, Brand, WithinDays, Type, CampaignId, Scale];

    public static readonly IReadOnlyList<string> Identifiers = ["phone", "email", "cardNumber", "externalId"];

    public static readonly IReadOnlyList<string> MessageChannels =
        ChannelNames.ClientChannels.Where(c => c.IsMessaging()).Select(c => c.ApiName()).ToList();

    public static readonly IReadOnlyList<AttrSpec> All =
    [
        new("gender", AttrFamily.Profile, ValueKind.Text, [], [], ["female", "male"]),
        new("city", AttrFamily.Profile, ValueKind.Text, [], []),
        new("age", AttrFamily.Profile, ValueKind.Integer, [], []),
        new("birthdayInDays", AttrFamily.Profile, ValueKind.Integer, [], []),
        new("registeredDaysAgo", AttrFamily.Profile, ValueKind.Number, [], []),
        new("hasIdentifier", AttrFamily.Profile, ValueKind.Presence, [], [], Identifiers),
        new("consent", AttrFamily.Profile, ValueKind.Presence, [], [], MessageChannels),
        new("purchases", AttrFamily.Purchases, ValueKind.Integer, [Channel, StoreCode, Category, Brand, WithinDays], []),
        new("spent", AttrFamily.Purchases, ValueKind.Money, [Channel, StoreCode, WithinDays], []),
        new("lastPurchaseDaysAgo", AttrFamily.Purchases, ValueKind.Number, [Channel], []),
        new("events", AttrFamily.Behaviour, ValueKind.Integer, [Type, Channel, Category, CampaignId, WithinDays], [Type]),
        new("channelsUsed", AttrFamily.Behaviour, ValueKind.Integer, [WithinDays], []),
        new("cartAbandonedHours", AttrFamily.Behaviour, ValueKind.Number, [], []),
        // The latest survey answer's score (missing without one): NPS 0–10, CSAT 1–5.
        new("surveyScore", AttrFamily.Behaviour, ValueKind.Integer, [Scale, WithinDays], []),
        new("tier", AttrFamily.Loyalty, ValueKind.Text, [], []),
        new("bonusActive", AttrFamily.Loyalty, ValueKind.Money, [], []),
        new("bonusPending", AttrFamily.Loyalty, ValueKind.Money, [], []),
        new("bonusExpiring", AttrFamily.Loyalty, ValueKind.Money, [WithinDays], [WithinDays]),
        new("inSegment", AttrFamily.Segments, ValueKind.SegmentId, [], []),
    ];

    private static readonly Dictionary<string, AttrSpec> ByName = All.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public static AttrSpec? Find(string? name) => name is not null && ByName.TryGetValue(name, out var spec) ? spec : null;
}
