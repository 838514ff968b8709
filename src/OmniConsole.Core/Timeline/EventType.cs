namespace OmniConsole.Core.Timeline;

/// <summary>What a timeline event is. The API names are snake_case (see <see cref="EventTypeNames"/>).</summary>
public enum EventType
{
    Purchase,
    Return,
    OrderPlaced,
    CartUpdated,
    ProductViewed,
    WishlistAdded,
    AppInstalled,
    StoreVisit,
    Call,
    Chat,
    AdClick,
    Review,
    MessageSent,
    MessageDelivered,
    MessageOpened,
    MessageClicked,
    Unsubscribed,
    ProfileUpdated,
    ConsentChanged,
    // OmniConsole's own items, channel "system"; clients cannot send them.
    CustomersMerged,
    BonusActivated,
    BonusExpired,
    /// <summary>Points not earned by a purchase: a welcome or birthday rule, a promo code, a manual adjustment; the reason in the text.</summary>
    BonusGranted,
    BonusAdjusted,
    /// <summary>A customer's answer to a campaign's survey, in the channel the survey came by.</summary>
    SurveyAnswered,
}

public static class EventTypeNames
{
    private static readonly Dictionary<EventType, string> Names =
        Enum.GetValues<EventType>().ToDictionary(t => t, ToSnake);

    private static readonly Dictionary<string, EventType> ClientTypes =
        Names.Where(p => !p.Key.IsSystem()).ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> ClientNames => ClientTypes.Keys;

    public static string ApiName(this EventType type) => Names[type];

    public static bool TryParseClient(string? value, out EventType type) =>
        ClientTypes.TryGetValue(value ?? "", out type);

    /// <summary>Types only OmniConsole writes (its merges, points, and the messages its campaigns send); clients cannot send them.</summary>
    public static bool IsSystem(this EventType type) =>
        type is EventType.MessageSent or EventType.CustomersMerged or EventType.BonusActivated or EventType.BonusExpired or EventType.BonusGranted or EventType.BonusAdjusted
            or EventType.SurveyAnswered;

    public static bool IsMessage(this EventType type) =>
        type is EventType.MessageSent or EventType.MessageDelivered or EventType.MessageOpened or EventType.MessageClicked or EventType.Unsubscribed;

    private static string ToSnake(EventType type) =>
        string.Concat(type.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
