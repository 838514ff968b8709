using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Channels;

/// <summary>Checks one event against the contract (API.md) and turns it into a <see cref="ValidEvent"/>, or says what is wrong, field by field.</summary>
public sealed partial class EventValidator(IdentifierNormalizer normalizer, IOptions<OmniConsoleOptions> options, TimeProvider clock)
{
    /// <inheritdoc cref="CustomerEvent.MaxFuture"/>
    public static TimeSpan MaxFuture => CustomerEvent.MaxFuture;

    public const int MaxTextLength = 4000;
    private readonly string _currency = options.Value.Currency;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex TimestampWithOffset();

    public (ValidEvent? Event, List<FieldError> Errors) Validate(EventRequest e, string source)
    {
        var errors = new List<FieldError>();
        void Error(string field, string message) => errors.Add(new FieldError(field, message));

        var eventId = e.EventId?.Trim();
        if (string.IsNullOrEmpty(eventId)) Error("eventId", "eventId is required.");
        else if (eventId.Length > 200) Error("eventId", "eventId is longer than 200 characters.");

        EventType type = default;
        if (string.IsNullOrWhiteSpace(e.Type)) Error("type", "type is required.");
        else if (!EventTypeNames.TryParseClient(e.Type, out type))
            Error("type", $"Unknown type '{e.Type}'. Expected one of: {string.Join(", ", EventTypeNames.ClientNames)}.");

        Channel channel = default;
        if (string.IsNullOrWhiteSpace(e.Channel)) Error("channel", "channel is required.");
        else if (e.Channel == "system") Error("channel", "Channel 'system' is reserved for OmniConsole's own timeline items.");
        else if (!ChannelNames.TryParseClient(e.Channel, out channel))
            Error("channel", $"Unknown channel '{e.Channel}'. Expected one of: {string.Join(", ", ChannelNames.ClientChannels.Select(c => c.ApiName()))}.");

        var occurredAt = ParseOccurredAt(e.OccurredAt, Error);

        var (identifiers, profile) = ValidateCustomer(e.Customer, source, Error);

        var typeKnown = errors.All(x => x.Field != "type");
        var storeCode = string.IsNullOrWhiteSpace(e.StoreCode) ? null : e.StoreCode.Trim();
        if (storeCode?.Length > 32) Error("storeCode", "storeCode is longer than 32 characters.");
        if (typeKnown && channel == Channel.Store && type is EventType.Purchase or EventType.Return or EventType.StoreVisit && storeCode is null)
            Error("storeCode", $"storeCode is required for a store {type.ApiName()}.");

        ValidOrder? order = null;
        if (typeKnown && type is EventType.Purchase or EventType.OrderPlaced or EventType.Return)
            order = ValidateOrder(e.Order, type, Error);

        ProductPayload? product = null;
        if (typeKnown && type is EventType.ProductViewed or EventType.WishlistAdded)
        {
            if (e.Product is null) Error("product", $"product is required for {type.ApiName()}.");
            else product = ValidateProduct(e.Product, Error);
        }
        else if (e.Product is not null)
            product = ValidateProduct(e.Product, Error); // optional elsewhere, e.g. the product an ad showed

        List<LinePayload>? cart = null;
        if (typeKnown && type == EventType.CartUpdated)
        {
            if (e.Cart?.Lines is null) Error("cart.lines", "cart.lines is required for cart_updated (an empty list clears the cart).");
            else cart = ValidateLines(e.Cart.Lines, "cart.lines", Error);
        }

        if (typeKnown && type.IsMessage())
        {
            if (e.Message is null || (string.IsNullOrWhiteSpace(e.Message.CampaignId) && string.IsNullOrWhiteSpace(e.Message.MessageId)))
                Error("message", $"message with campaignId or messageId is required for {type.ApiName()}.");
            else if (e.Message.CampaignId?.Length > 100 || e.Message.MessageId?.Length > 100)
                Error("message", "campaignId and messageId are at most 100 characters.");
        }

        Dictionary<Channel, bool>? consents = null;
        if (typeKnown && type == EventType.ConsentChanged)
            consents = ValidateConsents(e.Consents, Error);

        var text = string.IsNullOrWhiteSpace(e.Text) ? null : e.Text.Trim();
        if (text?.Length > MaxTextLength) Error("text", $"text is longer than {MaxTextLength} characters.");

        if (errors.Count > 0) return (null, errors);
        var message = e.Message is null ? null : new MessageData { CampaignId = e.Message.CampaignId?.Trim(), MessageId = e.Message.MessageId?.Trim() };
        return (new ValidEvent(eventId!, type, channel, occurredAt, identifiers, profile, storeCode, order, product, cart, message, consents, text), errors);
    }

    private DateTime ParseOccurredAt(string? value, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            error("occurredAt", "occurredAt is required.");
            return default;
        }
        if (!TimestampWithOffset().IsMatch(value) ||
            !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            error("occurredAt", $"'{value}' is not an ISO 8601 timestamp with an offset (e.g. 2026-03-01T12:30:00+03:00 or …Z).");
            return default;
        }
        if (parsed.UtcDateTime > clock.GetUtcNow().UtcDateTime + MaxFuture)
            error("occurredAt", "occurredAt is more than 1 day in the future.");
        return parsed.UtcDateTime;
    }

    private (List<IdentifierValue>, ProfileData) ValidateCustomer(CustomerData? c, string source, Action<string, string> error)
    {
        var ids = new List<IdentifierValue>();
        var empty = new ProfileData(null, null, null, null, null);
        if (c is null)
        {
            error("customer", "customer is required.");
            return (ids, empty);
        }
        var given = 0;
        var blocked = 0;
        void Add(IdentifierKind kind, string field, string? raw, string idSource)
        {
            if (string.IsNullOrWhiteSpace(raw)) return;
            given++;
            if (!normalizer.TryNormalize(kind, raw, out var value, out var message)) error($"customer.{field}", message);
            else if (normalizer.IsBlocked(value)) blocked++;
            else ids.Add(new IdentifierValue(kind, idSource, value));
        }
        Add(IdentifierKind.Phone, "phone", c.Phone, "");
        Add(IdentifierKind.Email, "email", c.Email, "");
        Add(IdentifierKind.Card, "cardNumber", c.CardNumber, "");
        Add(IdentifierKind.External, "externalId", c.ExternalId, source);
        if (given == 0) error("customer", "customer needs at least one of phone, email, cardNumber, externalId.");
        else if (blocked == given) error("customer", "All of the customer's identifiers are on the identifier blocklist (till placeholders); the event cannot be attributed to anyone.");

        DateOnly? birthDate = null;
        if (!string.IsNullOrWhiteSpace(c.BirthDate))
        {
            if (DateOnly.TryParseExact(c.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year >= 1900)
                birthDate = d;
            else error("customer.birthDate", $"'{c.BirthDate}' is not a date in the form yyyy-mm-dd.");
        }
        Gender? gender = null;
        if (!string.IsNullOrWhiteSpace(c.Gender))
        {
            if (c.Gender == "female") gender = Gender.Female;
            else if (c.Gender == "male") gender = Gender.Male;
            else error("customer.gender", $"gender is 'female' or 'male', not '{c.Gender}'.");
        }
        string? Name(string? v, string field)
        {
            if (string.IsNullOrWhiteSpace(v)) return null;
            if (v.Trim().Length > 100) error($"customer.{field}", $"{field} is longer than 100 characters.");
            return v.Trim();
        }
        return (ids, new ProfileData(Name(c.FirstName, "firstName"), Name(c.LastName, "lastName"), birthDate, gender, Name(c.City, "city")));
    }

    private ValidOrder? ValidateOrder(OrderData? o, EventType type, Action<string, string> error)
    {
        if (o is null)
        {
            error("order", $"order is required for {type.ApiName()}.");
            return null;
        }
        var failed = false;
        void Fail(string f, string m) { failed = true; error(f, m); }
        var number = o.OrderNumber?.Trim();
        if (string.IsNullOrEmpty(number)) Fail("order.orderNumber", "order.orderNumber is required.");
        else if (number.Length > 100) Fail("order.orderNumber", "order.orderNumber is longer than 100 characters.");
        var total = Amount(o.Total, "order.total", required: true, Fail);
        if (type == EventType.Return && total.Minor == 0 && o.Total is not null) Fail("order.total", "A return's total (the refunded amount) must be more than 0.");
        var redeemed = Amount(o.BonusRedeemed, "order.bonusRedeemed", required: false, Fail);
        if (redeemed > total) Fail("order.bonusRedeemed", "order.bonusRedeemed is more than order.total.");
        if (type == EventType.Return && redeemed.Minor > 0) Fail("order.bonusRedeemed", "A return cannot redeem points; redeemed points of the purchase are restored automatically.");
        var currency = string.IsNullOrWhiteSpace(o.Currency) ? _currency : o.Currency.Trim().ToUpperInvariant();
        if (currency != _currency) Fail("order.currency", $"Currency '{o.Currency}' is not accepted; this installation works in {_currency}.");
        var promo = string.IsNullOrWhiteSpace(o.PromoCode) ? null : PromoCode.Normalize(o.PromoCode);
        if (promo?.Length > 64) Fail("order.promoCode", "order.promoCode is longer than 64 characters.");
        var lines = o.Lines is null ? [] : ValidateLines(o.Lines, "order.lines", Fail);
        return failed ? null : new ValidOrder(number!, total, redeemed, currency, promo, lines);
    }

    private static ProductPayload? ValidateProduct(ProductData p, Action<string, string> error)
    {
        var ok = true;
        void Fail(string f, string m) { ok = false; error(f, m); }
        var sku = Sku(p.Sku, "product.sku", Fail);
        var price = p.Price is null ? (Money?)null : Amount(p.Price, "product.price", required: false, Fail);
        return ok ? new ProductPayload(sku, Trim(p.Name, 300) ?? sku, Trim(p.Category, 100), Trim(p.Brand, 100), price?.Minor) : null;
    }

    private static List<LinePayload> ValidateLines(List<LineData> lines, string field, Action<string, string> error)
    {
        var result = new List<LinePayload>();
        if (lines.Count > 500) error(field, $"{field} has more than 500 lines.");
        for (var i = 0; i < lines.Count && i < 500; i++)
        {
            var l = lines[i];
            var f = $"{field}[{i}]";
            if (l is null) { error(f, "A line cannot be null."); continue; }
            var sku = Sku(l.Sku, $"{f}.sku", error);
            var quantity = 1;
            if (l.Quantity is { } q)
            {
                if (q <= 0 || q != decimal.Truncate(q) || q > 100_000) error($"{f}.quantity", "quantity is a whole number from 1 to 100000.");
                else quantity = (int)q;
            }
            var price = Amount(l.UnitPrice, $"{f}.unitPrice", required: true, error);
            result.Add(new LinePayload(sku, Trim(l.Name, 300) ?? sku, Trim(l.Category, 100), Trim(l.Brand, 100), quantity, price.Minor));
        }
        return result;
    }

    private static Dictionary<Channel, bool>? ValidateConsents(Dictionary<string, bool>? consents, Action<string, string> error)
    {
        if (consents is null || consents.Count == 0)
        {
            error("consents", "consents (a map of channel → true/false) is required for consent_changed.");
            return null;
        }
        var result = new Dictionary<Channel, bool>();
        foreach (var (key, granted) in consents)
        {
            if (ChannelNames.TryParseClient(key, out var ch)) result[ch] = granted;
            else error($"consents.{key}", $"Unknown channel '{key}'.");
        }
        return result;
    }

    private static string Sku(string? sku, string field, Action<string, string> error)
    {
        var value = sku?.Trim() ?? "";
        if (value.Length == 0) error(field, $"{field} is required.");
        else if (value.Length > 64) error(field, $"{field} is longer than 64 characters.");
        return value;
    }

    private static Money Amount(decimal? value, string field, bool required, Action<string, string> error)
    {
        if (value is null)
        {
            if (required) error(field, $"{field} is required.");
            return Money.Zero;
        }
        if (value < 0) error(field, $"{field} cannot be negative.");
        else if (value > 1_000_000_000m) error(field, $"{field} is more than 1,000,000,000.");
        else if (!Money.TryFromMajor(value.Value, out var money)) error(field, $"{field} has more than 2 decimals.");
        else return money;
        return Money.Zero;
    }

    private static string? Trim(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim() is var t && t.Length > max ? t[..max] : value.Trim();
}
