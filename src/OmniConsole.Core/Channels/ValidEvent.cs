using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Channels;

/// <summary>An event that passed validation: parsed, normalised, ready to be applied.</summary>
public sealed record ValidEvent(
    string EventId,
    EventType Type,
    Channel Channel,
    DateTime OccurredAtUtc,
    IReadOnlyList<IdentifierValue> Identifiers,
    ProfileData Profile,
    string? StoreCode,
    ValidOrder? Order,
    ProductPayload? Product,
    List<LinePayload>? CartLines,
    MessageData? Message,
    Dictionary<Channel, bool>? Consents,
    string? Text);

public sealed record IdentifierValue(IdentifierKind Kind, string Source, string Value);

public sealed record ProfileData(string? FirstName, string? LastName, DateOnly? BirthDate, Gender? Gender, string? City)
{
    public bool IsEmpty => FirstName is null && LastName is null && BirthDate is null && Gender is null && City is null;
}

public sealed record ValidOrder(string OrderNumber, Money Total, Money BonusRedeemed, string Currency, string? PromoCode, List<LinePayload> Lines)
{
    public Money Paid => Total - BonusRedeemed;
}
