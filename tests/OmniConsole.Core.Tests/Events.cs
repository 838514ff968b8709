using System.Globalization;
using OmniConsole.Core.Channels;
using OmniConsole.Core.IdentityResolution;

namespace OmniConsole.Core.Tests;

/// <summary>Small builders for channel events as a till or the online shop sends them.</summary>
internal static class Events
{
    public static string At(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static EventRequest Purchase(string eventId, string phone, decimal total, DateTimeOffset at, decimal redeemed = 0, string? orderNumber = null, string? promo = null) => new()
    {
        EventId = eventId, Type = "purchase", Channel = "store", StoreCode = "MSK-01", OccurredAt = At(at),
        Customer = new CustomerData { Phone = phone },
        Order = new OrderData
        {
            OrderNumber = orderNumber ?? eventId, Total = total, BonusRedeemed = redeemed, PromoCode = promo,
            Lines = [new LineData { Sku = "SKU-1", Name = "Laptop", Category = "Laptops", Brand = "Acme", Quantity = 1, UnitPrice = total }],
        },
    };

    public static EventRequest Return(string eventId, string phone, string orderNumber, decimal refunded, DateTimeOffset at) => new()
    {
        EventId = eventId, Type = "return", Channel = "store", StoreCode = "MSK-01", OccurredAt = At(at),
        Customer = new CustomerData { Phone = phone },
        Order = new OrderData { OrderNumber = orderNumber, Total = refunded },
    };

    public static EventRequest View(string eventId, CustomerData customer, DateTimeOffset at) => new()
    {
        EventId = eventId, Type = "product_viewed", Channel = "app", OccurredAt = At(at), Customer = customer,
        Product = new ProductData { Sku = "SKU-1", Name = "Laptop", Price = 50000 },
    };
}
