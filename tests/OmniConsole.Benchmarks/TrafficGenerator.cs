using System.Globalization;

namespace OmniConsole.Benchmarks;

/// <summary>
/// Channel traffic for the ingestion benchmark: views, carts, messages and purchases for known customers (by phone
/// or card), plus a stream for one new "heavy" customer so the 360° page can be timed at 10,000 events.
/// </summary>
internal sealed class TrafficGenerator(IReadOnlyList<MeasureCommand.SampleRow> customers, string heavyPhone, int heavyEvents)
{
    private readonly Random _random = new(42);
    private int _n;

    public IEnumerable<Dictionary<string, object?>> Events(int count)
    {
        var heavyEvery = heavyEvents == 0 ? int.MaxValue : Math.Max(1, count / heavyEvents);
        for (var i = 0; i < count; i++)
        {
            var heavy = i % heavyEvery == 0 && i / heavyEvery < heavyEvents;
            var customer = heavy ? new { phone = heavyPhone } : Pick();
            yield return Event(customer, DateTimeOffset.UtcNow.AddMinutes(-_random.Next(0, 60 * 24 * 30)));
        }
    }

    private object Pick()
    {
        var c = customers[_random.Next(customers.Count)];
        return _random.Next(3) == 0 && c.Card is not null ? new { cardNumber = c.Card } : new { phone = c.Phone };
    }

    private Dictionary<string, object?> Event(object customer, DateTimeOffset at)
    {
        var id = $"bench-{Guid.NewGuid():N}";
        var e = new Dictionary<string, object?>
        {
            ["eventId"] = id, ["occurredAt"] = at.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture), ["customer"] = customer,
        };
        var price = _random.Next(5, 900) * 100m;
        var product = new { sku = $"BENCH-{_random.Next(1, 300)}", name = "Товар для замера", category = "Электроника", brand = "Acme", price };
        // A channel stream's usual mix: mostly views and message events, one purchase in ten.
        switch (Interlocked.Increment(ref _n) % 10)
        {
            case 0 or 1 or 2 or 3:
                e["type"] = "product_viewed"; e["channel"] = "app"; e["product"] = product; break;
            case 4:
                e["type"] = "cart_updated"; e["channel"] = "online";
                e["cart"] = new { lines = new[] { new { sku = product.sku, name = product.name, quantity = 1, unitPrice = price } } }; break;
            case 5 or 6 or 7:
                e["type"] = _random.Next(3) switch { 0 => "message_delivered", 1 => "message_opened", _ => "message_clicked" };
                e["channel"] = "email"; e["message"] = new { campaignId = "cmp-bench", messageId = id }; break;
            case 8:
                e["type"] = "store_visit"; e["channel"] = "store"; e["storeCode"] = "MSK-01"; break;
            default:
                e["type"] = "purchase"; e["channel"] = "store"; e["storeCode"] = "MSK-01";
                e["order"] = new
                {
                    orderNumber = id, total = price,
                    lines = new[] { new { sku = product.sku, name = product.name, category = product.category, brand = product.brand, quantity = 1, unitPrice = price } },
                };
                break;
        }
        return e;
    }
}
