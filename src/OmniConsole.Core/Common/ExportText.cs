using System.Globalization;

namespace OmniConsole.Core.Common;

/// <summary>
/// The words of a segment report (sheet names, headers, summary labels, the definition in words). The web app supplies
/// them from its resources in the language of whoever asked for the export; without it they are English.
/// </summary>
public interface IExportText
{
    /// <summary>The text for a key in the current UI culture (the export sets the requester's culture while it writes).</summary>
    string this[string key] { get; }
}

/// <summary>The English words, for a process without the web app's resources (benchmarks) and as the keys' meaning.</summary>
public sealed class EnglishExportText : IExportText
{
    public static readonly IReadOnlyDictionary<string, string> Words = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["xlsx.Summary"] = "Summary", ["xlsx.Members"] = "Members",
        ["xlsx.Segment"] = "Segment", ["xlsx.Description"] = "Description", ["xlsx.Definition"] = "Definition",
        ["xlsx.Member count"] = "Members", ["xlsx.Exported at"] = "Exported at", ["xlsx.Time zone"] = "Time zone",
        ["xlsx.Exported by"] = "Exported by", ["xlsx.Contacts"] = "Contacts", ["xlsx.contacts in full"] = "in full",
        ["xlsx.contacts masked"] = "masked (the exporting role sees masked contacts)", ["xlsx.#{0} {1} (version {2})"] = "#{0} {1} (version {2})",
        ["xlsx.col.Customer id"] = "Customer id", ["xlsx.col.First name"] = "First name", ["xlsx.col.Last name"] = "Last name",
        ["xlsx.col.Phone"] = "Phone", ["xlsx.col.E-mail"] = "E-mail", ["xlsx.col.Card"] = "Card", ["xlsx.col.City"] = "City",
        ["xlsx.col.Gender"] = "Gender", ["xlsx.col.Age"] = "Age", ["xlsx.col.Registered"] = "Registered", ["xlsx.col.Purchases"] = "Purchases",
        ["xlsx.col.Spent, ₽"] = "Spent, ₽", ["xlsx.col.Average check, ₽"] = "Average check, ₽", ["xlsx.col.Last purchase"] = "Last purchase",
        ["xlsx.col.Channels"] = "Channels", ["xlsx.col.Active points"] = "Active points", ["xlsx.col.Pending points"] = "Pending points",
        ["xlsx.col.Tier"] = "Tier", ["xlsx.col.Consents"] = "Consents",
        ["describe. AND "] = " AND ", ["describe. OR "] = " OR ", ["describe.NOT {0}"] = "NOT {0}", ["describe.in {0}"] = "in {0}",
        ["describe.of {0}"] = "of {0}", ["describe.via {0}"] = "via {0}", ["describe.at store {0}"] = "at store {0}",
        ["describe.of campaign {0}"] = "of campaign {0}", ["describe.in the last {0} days"] = "in the last {0} days",
        ["describe.member of segment {0}"] = "member of segment {0}", ["describe.has {0}"] = "has {0}", ["describe.consents to {0}"] = "consents to {0}",
        ["describe.{0} and {1}"] = "{0} and {1}",
        ["attr.gender"] = "Gender", ["attr.city"] = "City", ["attr.age"] = "Age", ["attr.birthdayInDays"] = "Days to birthday",
        ["attr.registeredDaysAgo"] = "Days since registration", ["attr.hasIdentifier"] = "Has contact", ["attr.consent"] = "Consent",
        ["attr.purchases"] = "Purchases", ["attr.spent"] = "Spent", ["attr.lastPurchaseDaysAgo"] = "Days since last purchase", ["attr.events"] = "Events",
        ["attr.channelsUsed"] = "Channels used", ["attr.cartAbandonedHours"] = "Hours since cart abandoned", ["attr.tier"] = "Tier",
        ["attr.bonusActive"] = "Active points", ["attr.bonusPending"] = "Pending points", ["attr.bonusExpiring"] = "Points expiring",
        ["attr.inSegment"] = "Member of segment",
        ["value.female"] = "female", ["value.male"] = "male", ["value.phone"] = "phone", ["value.email"] = "e-mail", ["value.cardNumber"] = "card",
        ["value.externalId"] = "external id", ["value.sms"] = "SMS", ["value.push"] = "push", ["value.viber"] = "Viber", ["value.telegram"] = "Telegram",
    };

    public string this[string key] => Words.TryGetValue(key, out var text) ? text : key;

    /// <summary>A format from <paramref name="text"/> filled in the current culture.</summary>
    public static string Format(IExportText text, string key, params object[] args) => string.Format(CultureInfo.CurrentCulture, text[key], args);
}
