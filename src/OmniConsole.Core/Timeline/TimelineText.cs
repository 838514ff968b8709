using System.Globalization;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Timeline;

/// <summary>
/// Writes the one-line summary of a timeline item from its type and payload. The templates are English;
/// <c>translate</c> turns a template into the reader's language (the UI passes its string localizer, the API nothing).
/// </summary>
public static class TimelineText
{
    /// <param name="storeName">the store's name, when known, for a store visit (tills send only its code)</param>
    public static string Summary(EventType type, Channel channel, EventPayload p, CultureInfo culture, Func<string, string>? translate = null,
        string? storeName = null)
    {
        string T(string template) => translate?.Invoke(template) ?? template;
        string F(string template, params object?[] args) => string.Format(culture, T(template), args);
        string M(long minor) => new Money(minor).Format(culture);
        // Points are points, not roubles, even at 1 point = 1 ₽: a number, the template says "points".
        string P(long minor) => Points(minor, culture);
        string Items(IReadOnlyList<LinePayload>? lines) => lines is null || lines.Count == 0 ? "" :
            string.Join(", ", lines.Take(3).Select(l => l.Quantity > 1 ? $"{l.Name} ×{l.Quantity}" : l.Name)) + (lines.Count > 3 ? F(" and {0} more", lines.Count - 3) : "");
        string Campaign() => p.Message?.CampaignName is { } name ? $"«{name}»" : p.Message?.CampaignId ?? "";
        string Ch() => T(channel.ApiName());

        var text = type switch
        {
            EventType.Purchase when p.Order is { } o => F("Bought {0} for {1}", Items(o.Lines) is { Length: > 0 } i ? i : F("order {0}", o.OrderNumber), M(o.TotalMinor))
                + (o.BonusRedeemedMinor > 0 ? F(", {0} points redeemed", P(o.BonusRedeemedMinor)) : "")
                + (o.PromoCode is { } code ? F(", promo code {0}", code) : "")
                + (p.Bonus is { AccruedMinor: > 0 } b ? F(b.ActiveAtOnce ? ", +{0} points, active at once" : ", +{0} points pending", P(b.AccruedMinor)) : ""),
            EventType.Return when p.Order is { } o => F("Returned {0} from order {1}", M(o.TotalMinor), o.OrderNumber)
                + (Items(o.Lines) is { Length: > 0 } items ? $" ({items})" : ""),
            EventType.OrderPlaced when p.Order is { } o => F("Placed order {0} for {1}", o.OrderNumber, M(o.TotalMinor))
                + (Items(o.Lines) is { Length: > 0 } items ? $": {items}" : ""),
            EventType.CartUpdated => p.Cart is { Count: > 0 } cart
                ? F("Cart: {0} — {1}", Items(cart), M(cart.Sum(l => l.UnitPriceMinor * l.Quantity)))
                : T("Emptied the cart"),
            EventType.ProductViewed when p.Product is { } pr => F("Viewed {0}", pr.Name) + (pr.PriceMinor is { } price ? $" ({M(price)})" : ""),
            EventType.WishlistAdded when p.Product is { } pr => F("Added {0} to favourites", pr.Name),
            EventType.AppInstalled => T("Installed the mobile app"),
            EventType.StoreVisit => F("Visited store {0}", storeName ?? p.StoreCode),
            EventType.Call => T("Call to the call centre") + Note(p.Text),
            EventType.Chat => F("Chat in {0}", Ch()) + Note(p.Text),
            EventType.AdClick => F("Clicked an ad in {0}", Ch()) + (p.Product is { } ad ? $": {ad.Name}" : "") + Note(p.Text),
            EventType.Review => T("Wrote a review") + Note(p.Text),
            EventType.MessageSent => F("{0} sent: {1}", Ch(), Campaign()),
            EventType.MessageDelivered => F("{0} delivered: {1}", Ch(), Campaign()),
            EventType.MessageOpened => F("Opened {0}: {1}", Ch(), Campaign()),
            EventType.MessageClicked => F("Clicked a link in {0}: {1}", Ch(), Campaign()),
            EventType.Unsubscribed => F("Unsubscribed from {0}", Ch()) + (Campaign() is { Length: > 0 } c ? $" ({c})" : ""),
            EventType.ProfileUpdated => T("Updated the profile"),
            EventType.ConsentChanged when p.Consents is { } cs => T("Consents") + ": " +
                string.Join(", ", cs.Select(kv => $"{T(kv.Key.ApiName())} {(kv.Value ? "✓" : "✗")}")),
            EventType.CustomersMerged when p.Merge is { } m => F("Merged with customer #{0} {1}", m.MergedCustomerId, m.MergedCustomerName ?? "").TrimEnd()
                + F(" ({0})", Audit.AuditText.Translate(m.Reason, T, culture)),
            EventType.BonusActivated when p.Bonus is { } b => F("{0} points are now active", P(b.AccruedMinor)),
            EventType.BonusExpired when p.Bonus is { } b => F("{0} points expired", P(b.ReversedMinor)),
            EventType.SurveyAnswered when p.Survey is { } sv => F("Answered the survey: {0} of {1}", sv.Score, sv.Scale == "csat" ? 5 : 10)
                + (Campaign() is { Length: > 0 } asked ? $" ({asked})" : "") + Note(sv.Comment),
            EventType.BonusGranted when p.Bonus is { } b => F("{0} points accrued", P(b.AccruedMinor)) + Note(p.Text),
            EventType.BonusAdjusted when p.Bonus is { } b => F("{0} points adjusted by staff", b.AccruedMinor > 0 ? "+" + P(b.AccruedMinor) : "−" + P(b.ReversedMinor)) + Note(p.Text),
            _ => T(type.ApiName()),
        };
        return text.Length > 500 ? text[..497] + "…" : text;
    }

    /// <summary>Bonus points as a number in the culture's format ("1,234.50", "1 234,50"), without a currency sign.</summary>
    public static string Points(long minor, CultureInfo culture) => new Money(minor).Major.ToString("N2", culture);

    private static string Note(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "" : ": " + (text.Length > 120 ? text[..117] + "…" : text);
}
