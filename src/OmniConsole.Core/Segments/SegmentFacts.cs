using OmniConsole.Core.Customers;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Segments;

/// <summary>
/// The per-customer facts segments read, derived from one timeline event. Ingestion and the data generators both call
/// this, so a generated database holds exactly what live ingestion would have written.
/// </summary>
public static class SegmentFacts
{
    /// <summary>How text is compared: trimmed, case-insensitively in any alphabet.</summary>
    public static string Key(string value) => value.Trim().ToLowerInvariant();

    /// <summary>
    /// The event itself (channel events only: OmniConsole's own items are not behaviour), its campaign, and the
    /// categories and brands of its product, cart or order lines: one facet per distinct value.
    /// </summary>
    public static List<CustomerEventFacet> FacetsOf(CustomerEvent ev, Customer customer)
    {
        var facets = new List<CustomerEventFacet>();
        if (ev.Channel == Common.Channel.System) return facets;
        Add([""], FacetKind.Event);
        if (ev.CampaignId is { Length: > 0 } campaign) Add([campaign], FacetKind.Campaign);
        var p = ev.Payload;
        var categories = new List<string?>();
        var brands = new List<string?>();
        if (p.Product is { } product) { categories.Add(product.Category); brands.Add(product.Brand); }
        foreach (var line in (p.Cart ?? []).Concat(p.Order?.Lines ?? [])) { categories.Add(line.Category); brands.Add(line.Brand); }
        Add(categories, FacetKind.Category);
        // Brands are asked of purchases only (the purchases condition's brand qualifier): other events skip them.
        if (ev.Type == EventType.Purchase) Add(brands, FacetKind.Brand);
        return facets;

        void Add(List<string?> values, FacetKind kind)
        {
            foreach (var value in values.Where(v => v is not null && (kind == FacetKind.Event || v.Trim().Length > 0)).Select(v => Key(v!)).Where(v => v.Length <= 100).Distinct())
                facets.Add(new CustomerEventFacet
                {
                    Customer = customer, CustomerId = customer.Id, Type = ev.Type, Channel = ev.Channel,
                    StoreId = ev.Store?.Id ?? ev.StoreId, OccurredAtUtc = ev.OccurredAtUtc, ReceivedAtUtc = ev.ReceivedAtUtc, Kind = kind, Value = value,
                });
        }
    }

    /// <summary>Keeps the customer's open-cart time: a cart with lines opens it, an empty cart, an order or a purchase after it closes it.</summary>
    public static void ApplyCart(Customer customer, CustomerEvent ev)
    {
        switch (ev.Type)
        {
            case EventType.CartUpdated when ev.Payload.Cart is { Count: > 0 }:
                if (customer.OpenCartAtUtc is null || ev.OccurredAtUtc >= customer.OpenCartAtUtc) customer.OpenCartAtUtc = ev.OccurredAtUtc;
                break;
            case EventType.CartUpdated:
            case EventType.Purchase:
            case EventType.OrderPlaced:
                if (customer.OpenCartAtUtc is { } open && ev.OccurredAtUtc >= open) customer.OpenCartAtUtc = null;
                break;
        }
    }
}
