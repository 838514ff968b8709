using Microsoft.Extensions.Options;
using OmniConsole.Core.Channels;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Core.Segments;

namespace OmniConsole.Core.Tests;

/// <summary>
/// Four hand-built customers, written through live ingestion at a fixed "now" (2026-06-01 10:00 UTC, 13:00 in Moscow),
/// whose membership of every condition is known:
/// Anna (female, Москва, born 1990-06-05, phone+email, e-mail consent; Electronics/Acme bought in store 200 days ago,
/// Electronics viewed in the app 5 days ago, app installed 300 days ago); Boris (male, санкт-петербург, born 2000-01-01,
/// phone, SMS consent; Clothes/Zara bought online 10 days ago for 3000, 1000 of it returned, a cart of shoes left 30 h ago);
/// Vera (female, МОСКВА, no birth date, e-mail only, e-mail consent withdrawn; Electronics viewed online 40 days ago,
/// a store visit 3 days ago, the "spring" e-mail opened 2 days ago); Gleb (a phone and one VK ad click a day ago).
/// </summary>
public sealed class SegmentFixture : IDisposable
{
    public TestDatabase Db { get; } = new();
    public Dictionary<string, long> Ids { get; } = [];
    public SegmentService Segments { get; }
    public DateTimeOffset Now => Db.Clock.GetUtcNow();

    public SegmentFixture()
    {
        Segments = Service(Db);
        var now = Now;
        Send("anna", new() { Phone = "+79160000001", Email = "anna@example.ru", FirstName = "Анна", Gender = "female", City = "Москва", BirthDate = "1990-06-05" },
            E("a0", "app_installed", "app", now.AddDays(-300)),
            E("a1", "consent_changed", "app", now.AddDays(-299), consents: new() { ["email"] = true, ["sms"] = false }),
            Purchase("a2", "store", "MSK-01", "A-1", 10000m, now.AddDays(-200), "Electronics", "Acme"),
            View("a3", "app", now.AddDays(-5), "Electronics", "Acme"));
        Send("boris", new() { Phone = "+79160000002", FirstName = "Борис", Gender = "male", City = "санкт-петербург", BirthDate = "2000-01-01" },
            E("b1", "consent_changed", "online", now.AddDays(-10), consents: new() { ["sms"] = true }),
            Purchase("b2", "online", null, "B-1", 3000m, now.AddDays(-10), "Clothes", "Zara"),
            Return("b3", "online", "B-1", 1000m, now.AddDays(-9)),
            Cart("b4", "online", now.AddHours(-30), "Shoes"));
        Send("vera", new() { Email = "vera@example.ru", FirstName = "Вера", Gender = "female", City = "МОСКВА" },
            E("v1", "consent_changed", "online", now.AddDays(-50), consents: new() { ["email"] = true }),
            View("v2", "online", now.AddDays(-40), "Electronics", "Acme"),
            E("v3", "consent_changed", "online", now.AddDays(-20), consents: new() { ["email"] = false }),
            E("v4", "store_visit", "store", now.AddDays(-3), store: "MSK-01"),
            E("v5", "message_opened", "email", now.AddDays(-2), message: new MessageData { CampaignId = "spring", MessageId = "m-1" }));
        Send("gleb", new() { Phone = "+79160000004" },
            E("g1", "ad_click", "social", now.AddDays(-1)));
    }

    public static SegmentService Service(TestDatabase db) =>
        new(db.Factory, new SegmentVocabulary(db.Factory, db.Clock), db.Options, db.Clock);

    private void Send(string name, CustomerData customer, params EventRequest[] events)
    {
        foreach (var e in events) e.Customer = customer;
        var results = Db.Ingestion().IngestAsync("till", events, CancellationToken.None).GetAwaiter().GetResult();
        var rejected = results.Where(r => r.Status != EventStatus.Accepted).ToList();
        if (rejected.Count > 0) throw new InvalidOperationException(string.Join("; ", rejected.SelectMany(r => r.Errors).Select(e => $"{e.Field}: {e.Message}")));
        Ids[name] = long.Parse(results[0].CustomerId!);
    }

    public static EventRequest E(string id, string type, string channel, DateTimeOffset at, Dictionary<string, bool>? consents = null,
        string? store = null, MessageData? message = null) =>
        new() { EventId = id, Type = type, Channel = channel, OccurredAt = Events.At(at), Consents = consents, StoreCode = store, Message = message };

    public static EventRequest Purchase(string id, string channel, string? store, string number, decimal total, DateTimeOffset at, string category, string brand) =>
        new()
        {
            EventId = id, Type = "purchase", Channel = channel, StoreCode = store, OccurredAt = Events.At(at),
            Order = new OrderData { OrderNumber = number, Total = total, Lines = [new LineData { Sku = $"{category}-1", Name = category, Category = category, Brand = brand, Quantity = 1, UnitPrice = total }] },
        };

    public static EventRequest Return(string id, string channel, string number, decimal refunded, DateTimeOffset at) =>
        new() { EventId = id, Type = "return", Channel = channel, OccurredAt = Events.At(at), Order = new OrderData { OrderNumber = number, Total = refunded } };

    public static EventRequest View(string id, string channel, DateTimeOffset at, string category, string brand) =>
        new() { EventId = id, Type = "product_viewed", Channel = channel, OccurredAt = Events.At(at), Product = new ProductData { Sku = $"{category}-1", Name = category, Category = category, Brand = brand, Price = 100 } };

    public static EventRequest Cart(string id, string channel, DateTimeOffset at, string category) =>
        new() { EventId = id, Type = "cart_updated", Channel = channel, OccurredAt = Events.At(at), Cart = new CartData { Lines = [new LineData { Sku = $"{category}-1", Name = category, Category = category, Quantity = 1, UnitPrice = 500 }] } };

    public void Dispose() => Db.Dispose();
}
