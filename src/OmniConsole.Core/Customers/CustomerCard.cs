using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Customers;

/// <summary>Everything the 360° page shows above the timeline, read with a few indexed queries.</summary>
public static class CustomerCard
{
    public sealed record Header(
        long Id, string DisplayName, string? FirstName, string? LastName, DateOnly? BirthDate, Gender? Gender, string? City,
        DateTime RegisteredAtUtc, string? HomeStore, string Tier, BonusBalance Bonus,
        IReadOnlyList<IdentifierRow> Identifiers, IReadOnlyList<ConsentRow> Consents, DateTime? ErasedAtUtc = null);

    public sealed record IdentifierRow(IdentifierKind Kind, string Value, string Source);
    public sealed record ConsentRow(Channel Channel, bool Granted, DateTime ChangedAtUtc);

    public sealed record Kpis(
        Money LifetimeValue, int Orders, Money AverageCheck, DateTime? LastPurchaseAtUtc, double? DaysBetweenPurchases,
        Channel? FavouriteChannel, IReadOnlyList<string> FavouriteCategories, IReadOnlyList<string> FavouriteBrands,
        IReadOnlyList<Channel> ChannelsUsed);

    public sealed record Interests(
        IReadOnlyList<LinePayload> Cart, DateTime? CartUpdatedAtUtc,
        IReadOnlyList<ProductSeen> Wishlist, IReadOnlyList<ProductSeen> RecentlyViewed, IReadOnlyList<OpenPromoCode> PromoCodes);

    public sealed record ProductSeen(string Sku, string Name, string? Category, long? PriceMinor, DateTime AtUtc, Channel Channel);
    public sealed record OpenPromoCode(string Code, string Description, DateTime? ValidUntilUtc, int? DiscountPercent, long? DiscountMinor);

    public static async Task<Header?> HeaderAsync(OmniConsoleDbContext db, long id, DateTime nowUtc, CancellationToken ct)
    {
        var c = await db.Customers.AsNoTracking()
            .Where(c => c.Id == id)
            .Select(c => new
            {
                c.Id, c.FirstName, c.LastName, c.BirthDate, c.Gender, c.City, c.RegisteredAtUtc, c.Tier, c.ErasedAtUtc,
                // Store names often start with their city ("Москва, ТРЦ Атриум"): the city is added only when missing.
                HomeStore = c.HomeStore == null ? null
                    : c.HomeStore.Name + (c.HomeStore.City == null || c.HomeStore.Name.StartsWith(c.HomeStore.City) ? "" : ", " + c.HomeStore.City),
                Identifiers = c.Identifiers.OrderBy(i => i.Kind).ThenBy(i => i.AddedAtUtc).Select(i => new IdentifierRow(i.Kind, i.Value, i.Source)).ToList(),
                Consents = c.Consents.Select(x => new ConsentRow(x.Channel, x.Granted, x.ChangedAtUtc)).ToList(),
            })
            .AsSplitQuery()
            .FirstOrDefaultAsync(ct);
        if (c is null) return null;
        var bonus = await BonusBalance.ForCustomerAsync(db, id, nowUtc, ct);
        var name = new Customer { Id = c.Id, FirstName = c.FirstName, LastName = c.LastName }.DisplayName;
        return new Header(c.Id, name, c.FirstName, c.LastName, c.BirthDate, c.Gender, c.City, c.RegisteredAtUtc, c.HomeStore, c.Tier, bonus,
            c.Identifiers, c.Consents.OrderBy(x => x.Channel).ToList(), c.ErasedAtUtc);
    }

    public static async Task<Kpis> KpisAsync(OmniConsoleDbContext db, long id, CancellationToken ct)
    {
        var stats = await db.Customers.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.LifetimeValueMinor, c.PurchaseCount, c.LastPurchaseAtUtc }).SingleAsync(ct);
        var purchases = db.Orders.AsNoTracking().Where(o => o.CustomerId == id && o.Status == OrderStatus.Purchased);
        var span = await purchases.GroupBy(_ => 1)
            .Select(g => new { First = g.Min(o => o.OccurredAtUtc), Last = g.Max(o => o.OccurredAtUtc), Count = g.Count() })
            .SingleOrDefaultAsync(ct); // one group at most
        var byChannel = await purchases.GroupBy(o => o.Channel).Select(g => new { g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key).FirstOrDefaultAsync(ct);
        // From the customer's orders to their lines (indexed by order), never a scan of all lines.
        var lines = purchases.Join(db.OrderLines, o => o.Id, l => l.OrderId, (o, l) => l);
        var categories = await lines.Where(l => l.Category != null).GroupBy(l => l.Category!)
            .Select(g => new { g.Key, Spend = g.Sum(l => l.UnitPriceMinor * l.Quantity) })
            .OrderByDescending(g => g.Spend).ThenBy(g => g.Key).Take(3).Select(g => g.Key).ToListAsync(ct);
        var brands = await lines.Where(l => l.Brand != null).GroupBy(l => l.Brand!)
            .Select(g => new { g.Key, Spend = g.Sum(l => l.UnitPriceMinor * l.Quantity) })
            .OrderByDescending(g => g.Spend).ThenBy(g => g.Key).Take(3).Select(g => g.Key).ToListAsync(ct);
        var channels = await CustomerLookup.ChannelsUsedAsync(db, id, ct);

        // One definition for every money figure, the lookup API's lifetimeValue: paid (total less points) net of refunds.
        var average = stats.PurchaseCount > 0 ? new Money(stats.LifetimeValueMinor / stats.PurchaseCount) : Money.Zero;
        double? frequency = span is { Count: > 1 } ? (span.Last - span.First).TotalDays / (span.Count - 1) : null;
        return new Kpis(new Money(stats.LifetimeValueMinor), stats.PurchaseCount, average, stats.LastPurchaseAtUtc, frequency,
            byChannel?.Key, categories, brands, channels);
    }

    public static async Task<Interests> InterestsAsync(OmniConsoleDbContext db, long id, DateTime nowUtc, CancellationToken ct)
    {
        var events = db.CustomerEvents.AsNoTracking().Where(e => e.CustomerId == id);
        var cart = await events.Where(e => e.Type == EventType.CartUpdated).OrderByDescending(e => e.OccurredAtUtc)
            .Select(e => new { e.OccurredAtUtc, e.Payload }).FirstOrDefaultAsync(ct);
        // A cart that was followed by an order is no longer open.
        var checkedOut = cart is not null && await events.AnyAsync(e =>
            (e.Type == EventType.OrderPlaced || (e.Type == EventType.Purchase && e.Channel != Channel.Store)) && e.OccurredAtUtc >= cart.OccurredAtUtc, ct);
        var openCart = cart is null || checkedOut ? [] : cart.Payload.Cart ?? [];

        async Task<List<ProductSeen>> Products(EventType type)
        {
            var rows = await events.Where(e => e.Type == type).OrderByDescending(e => e.OccurredAtUtc).Take(40)
                .Select(e => new { e.OccurredAtUtc, e.Channel, e.Payload }).ToListAsync(ct);
            return rows.Where(r => r.Payload.Product is not null)
                .DistinctBy(r => r.Payload.Product!.Sku).Take(8)
                .Select(r => new ProductSeen(r.Payload.Product!.Sku, r.Payload.Product.Name, r.Payload.Product.Category, r.Payload.Product.PriceMinor, r.OccurredAtUtc, r.Channel))
                .ToList();
        }

        var promos = await db.PromoCodes.AsNoTracking()
            .Where(p => p.CustomerId == id && p.IsActive && (p.MaxUses == null || p.UsedCount < p.MaxUses) && (p.ValidUntilUtc == null || p.ValidUntilUtc > nowUtc))
            .OrderBy(p => p.ValidUntilUtc)
            .Select(p => new OpenPromoCode(p.Code, p.Description, p.ValidUntilUtc, p.DiscountPercent, p.DiscountMinor))
            .ToListAsync(ct);

        return new Interests(openCart, openCart.Count > 0 ? cart!.OccurredAtUtc : null, await Products(EventType.WishlistAdded), await Products(EventType.ProductViewed), promos);
    }
}
