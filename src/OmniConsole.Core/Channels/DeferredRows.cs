using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Channels;

/// <summary>
/// The rows a batch creates — orders and their lines, bonus lots and allocations, promo code uses, ledger entries and
/// timeline items, nearly all of what a batch writes — kept aside and written once the rows they point at have keys.
/// The database family writes them its fastest way (EF would send and parse one command per row and track every
/// row, which is what limited ingestion). Rows loaded from the database and changed stay with EF.
/// </summary>
internal sealed class DeferredRows(ChannelActivityWrites? activityWrites = null)
{
    private readonly List<Order> _orders = [];
    private readonly List<OrderLine> _lines = [];
    private readonly List<BonusLot> _lots = [];
    private readonly List<RedemptionAllocation> _allocations = [];
    private readonly List<PromoCodeRedemption> _promoUses = [];
    private readonly List<BonusLedgerEntry> _ledger = [];
    private readonly List<CustomerEvent> _events = [];
    private readonly List<CustomerEventFacet> _facets = [];
    private readonly Dictionary<(Customers.Customer Customer, Channel Channel), ActivitySpan> _activity = [];

    /// <summary>Channel activity written by flushes so far, for <see cref="ChannelActivityWrites"/> once the batch commits.</summary>
    public List<(long CustomerId, Channel Channel, DateTime First, DateTime Last)> ActivityWritten { get; } = [];

    /// <summary>When set, each step of a flush is timed into it.</summary>
    public BatchTiming? Timing { get; set; }

    public void Add(Order order) => _orders.Add(order);
    public void Add(OrderLine line) => _lines.Add(line);
    public void Add(BonusLot lot) => _lots.Add(lot);
    public void Add(RedemptionAllocation allocation) => _allocations.Add(allocation);
    public void Add(PromoCodeRedemption use) => _promoUses.Add(use);
    public void Add(BonusLedgerEntry entry) => _ledger.Add(entry);
    public void Add(CustomerEvent item) => _events.Add(item);
    public void Add(CustomerEventFacet facet) => _facets.Add(facet);

    /// <summary>Notes that the customer did something in the channel at that time (kept per customer and channel, written once per batch).</summary>
    public void Touch(Customers.Customer customer, Channel channel, DateTime at) =>
        _activity[(customer, channel)] = _activity.TryGetValue((customer, channel), out var seen) ? seen.Widen(at, at) : ActivitySpan.At(at);

    /// <summary>Redemption allocations of an order bought earlier in this batch (not in the database yet).</summary>
    public IEnumerable<RedemptionAllocation> AllocationsOf(Order order) => _allocations.Where(a => ReferenceEquals(a.Order, order));

    /// <summary>Saves the tracked changes, then writes the deferred rows, parents first, in the same transaction.</summary>
    public async Task FlushAsync(OmniConsoleDbContext db, CancellationToken ct)
    {
        var family = db.Family();
        await family.SaveChangesAsync(db, ct); // new customers, stores, products get their keys; loaded rows get their changes
        Timing?.Lap("ef-save");

        await family.InsertRowsAsync(db, _orders, o =>
        {
            o.CustomerId = o.Customer!.Id;
            o.StoreId = o.Store?.Id ?? o.StoreId;
        }, (o, id) => o.Id = id, ct);
        Timing?.Lap("orders");
        await family.InsertRowsAsync(db, _lots, l =>
        {
            l.CustomerId = l.Customer!.Id;
            l.OrderId = l.Order?.Id ?? l.OrderId;
        }, (l, id) => l.Id = id, ct);
        await family.InsertRowsAsync(db, _lines, l =>
        {
            l.OrderId = l.Order!.Id;
            l.ProductId = l.Product?.Id ?? l.ProductId;
        }, null, ct);
        await family.InsertRowsAsync(db, _allocations, a =>
        {
            a.OrderId = a.Order!.Id;
            a.LotId = a.Lot!.Id;
        }, null, ct);
        await family.InsertRowsAsync(db, _promoUses, u =>
        {
            u.PromoCodeId = u.PromoCode!.Id;
            u.CustomerId = u.Customer!.Id;
            u.OrderId = u.Order?.Id ?? u.OrderId;
        }, null, ct);
        await family.InsertRowsAsync(db, _ledger, l =>
        {
            l.CustomerId = l.Customer!.Id;
            l.OrderId = l.Order?.Id ?? l.OrderId;
            l.LotId = l.Lot?.Id ?? l.LotId;
        }, null, ct);
        Timing?.Lap("loyalty-rows");
        await family.InsertRowsAsync(db, _events, e =>
        {
            e.CustomerId = e.Customer!.Id;
            e.OrderId = e.Order?.Id ?? e.OrderId;
            e.StoreId = e.Store?.Id ?? e.StoreId;
        }, null, ct);
        Timing?.Lap("timeline-rows");
        // Facets point at their customer by key only (no relationship): new customers have theirs by now.
        await family.InsertRowsAsync(db, _facets, f => f.CustomerId = f.Customer!.Id, null, ct);
        await family.WidenChannelActivityAsync(db, ActivityToWrite(), ct);
        Timing?.Lap("segment-facts");
        Clear();
    }

    /// <summary>The batch's spans that widen what is known (an event inside the known span changes nothing).</summary>
    private List<CustomerChannelActivity> ActivityToWrite()
    {
        var rows = new List<CustomerChannelActivity>(_activity.Count);
        foreach (var ((customer, channel), (first, last)) in _activity)
        {
            if (activityWrites?.IsCurrent(customer.Id, channel, first, last) == true) continue;
            ActivityWritten.Add((customer.Id, channel, first, last));
            rows.Add(new CustomerChannelActivity { CustomerId = customer.Id, Channel = channel, FirstAtUtc = first, LastAtUtc = last });
        }
        return rows;
    }

    private void Clear()
    {
        _orders.Clear();
        _lines.Clear();
        _lots.Clear();
        _allocations.Clear();
        _promoUses.Clear();
        _ledger.Clear();
        _events.Clear();
        _facets.Clear();
        _activity.Clear();
    }
}
