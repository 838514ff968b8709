using OmniConsole.Core.Catalog;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;

namespace OmniConsole.DemoData;

/// <summary>Where a customer stands with the retailer: never bought, buying, or stopped buying more than six months ago.</summary>
internal enum Segment { Prospect, Active, Lapsed }

/// <summary>Who a generated customer is and how they use the channels: everything the planner needs to make their history believable.</summary>
internal sealed class CustomerProfile
{
    public required long Id { get; init; }
    public required Gender Gender { get; init; }
    public required string FirstName { get; init; }
    public required string LastName { get; init; }
    public required DateOnly BirthDate { get; init; }
    public required City City { get; init; }
    public Store? HomeStore { get; init; }
    public required DateTime RegisteredAt { get; init; }
    /// <summary>Where the customer signed up: store (card at the till), online or app.</summary>
    public required Channel RegisteredIn { get; init; }
    public required Segment Segment { get; init; }

    /// <summary>Last moment a purchase may happen: now for active customers, the lapse for lapsed ones, null for prospects.</summary>
    public DateTime? BuysUntil { get; init; }

    /// <summary>Last moment of browsing, visits and contacts; campaign messages keep arriving until now.</summary>
    public required DateTime EngagedUntil { get; init; }

    public required string Phone { get; init; }
    public string? Email { get; init; }
    public string? CardNumber { get; init; }
    /// <summary>The online shop's own customer id (identifier source <see cref="ExternalIdSource"/>).</summary>
    public string? ExternalId { get; init; }

    public DateTime? AppInstalledAt { get; init; }
    public required bool ShopsOnline { get; init; }
    public bool ShopsInStore => HomeStore is not null;

    /// <summary>Consent decisions per messaging channel the customer can be reached by.</summary>
    public required Dictionary<Channel, ConsentHistory> Consents { get; init; }

    /// <summary>Categories the customer browses and buys, most liked first.</summary>
    public required IReadOnlyList<CategoryInfo> Interests { get; init; }

    public const string ExternalIdSource = "online-shop";

    public bool CanMessage(Channel channel, DateTime at) => Consents.TryGetValue(channel, out var c) && c.GrantedAt(at);

    public bool CanBuy(DateTime at) => BuysUntil is { } until && at <= until;
}

/// <summary>How a consent was reversed after the first decision.</summary>
internal enum ConsentReversal { None, Unsubscribed, ChangedInSettings }

/// <summary>A channel's consent: decided once (at sign-up, or at app install for push), maybe reversed later.</summary>
internal sealed record ConsentHistory(DateTime DecidedAt, bool Initially, DateTime? ReversedAt = null, ConsentReversal Reversal = ConsentReversal.None)
{
    public bool GrantedAt(DateTime at) => at >= DecidedAt && (ReversedAt is { } r && at >= r ? !Initially : Initially);
    public bool Final => ReversedAt is null ? Initially : !Initially;
    public DateTime LastChangedAt => ReversedAt ?? DecidedAt;
}
