using System.Globalization;

namespace OmniConsole.Web.Tests;

/// <summary>Channel events as JSON-ready objects, the way tills and the online shop send them.</summary>
internal static class Ev
{
    private static int _n;
    public static string NewId(string prefix = "ev") => $"{prefix}-{Interlocked.Increment(ref _n)}-{Guid.NewGuid():N}"[..30];

    /// <summary>A unique Russian mobile number in E.164 (+7 916 …).</summary>
    private static int _phone = Random.Shared.Next(0, 4_000_000);

    /// <summary>A phone no other call in this test run returns (random ones collided now and then and merged two test customers).</summary>
    public static string NewPhone() => "+7916" + (1_000_000 + Interlocked.Increment(ref _phone) % 8_999_999).ToString(CultureInfo.InvariantCulture);

    public static string At(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static Dictionary<string, object?> View(object customer, DateTimeOffset at, string? id = null, string channel = "app") => new()
    {
        ["eventId"] = id ?? NewId(), ["type"] = "product_viewed", ["channel"] = channel, ["occurredAt"] = At(at), ["customer"] = customer,
        ["product"] = new { sku = "LAP-001", name = "Ноутбук Acme 15", category = "Ноутбуки", brand = "Acme", price = 54990.00m },
    };

    public static Dictionary<string, object?> Purchase(object customer, decimal total, DateTimeOffset at, decimal redeemed = 0, string? order = null, string? id = null) => new()
    {
        ["eventId"] = id ?? NewId(), ["type"] = "purchase", ["channel"] = "store", ["storeCode"] = "MSK-01", ["occurredAt"] = At(at), ["customer"] = customer,
        ["order"] = new
        {
            orderNumber = order ?? NewId("ord"), total, bonusRedeemed = redeemed,
            lines = new[] { new { sku = "ACC-MOUSE-01", name = "Мышь беспроводная", category = "Аксессуары", brand = "Logitech", quantity = 1, unitPrice = total } },
        },
    };
}
