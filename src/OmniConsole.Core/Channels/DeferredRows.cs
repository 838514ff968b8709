using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Channels;

/// <summary>
/// The rows a batch creates — orders and their lines, bonus lots and allocations, promo code uses, ledger entries and
/// timeline items, nearly all of what a batch writes — kept aside and written once the rows they point at have keys.
/// On SQLite one prepared statement per table writes them (EF would send and parse one command per row, which is
/// what limited ingestion); on other providers EF writes them. Rows loaded from the database and changed stay with EF.
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
    private readonly Dictionary<(Customers.Customer Customer, Channel Channel), (DateTime First, DateTime Last)> _activity = [];

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
        _activity[(customer, channel)] = _activity.TryGetValue((customer, channel), out var seen)
            ? (at < seen.First ? at : seen.First, at > seen.Last ? at : seen.Last) : (at, at);

    /// <summary>Redemption allocations of an order bought earlier in this batch (not in the database yet).</summary>
    public IEnumerable<RedemptionAllocation> AllocationsOf(Order order) => _allocations.Where(a => ReferenceEquals(a.Order, order));

    /// <summary>Saves the tracked changes, then writes the deferred rows, parents first, in the same transaction.</summary>
    public async Task FlushAsync(OmniConsoleDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            db.AddRange(_orders.Concat<object>(_lines).Concat(_lots).Concat(_allocations).Concat(_promoUses).Concat(_ledger).Concat(_events));
            await db.SaveChangesAsync(ct);
            // Facets point at their customer by key only (no relationship): new customers have theirs by now.
            foreach (var f in _facets) f.CustomerId = f.Customer!.Id;
            db.AddRange(_facets);
            await db.SaveChangesAsync(ct);
            await SaveActivityAsync(db, ct);
            Clear();
            return;
        }

        await db.SaveChangesAsync(ct); // new customers, stores, products get their keys; loaded rows get their changes
        Timing?.Lap("ef-save");
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();

        Write(db, _orders, o =>
        {
            o.CustomerId = o.Customer!.Id;
            o.StoreId = o.Store?.Id ?? o.StoreId;
        }, (o, id) => o.Id = id);
        Timing?.Lap("orders");
        Write(db, _lots, l =>
        {
            l.CustomerId = l.Customer!.Id;
            l.OrderId = l.Order?.Id ?? l.OrderId;
        }, (l, id) => l.Id = id);
        Write(db, _lines, l =>
        {
            l.OrderId = l.Order!.Id;
            l.ProductId = l.Product?.Id ?? l.ProductId;
        });
        Write(db, _allocations, a =>
        {
            a.OrderId = a.Order!.Id;
            a.LotId = a.Lot!.Id;
        });
        Write(db, _promoUses, u =>
        {
            u.PromoCodeId = u.PromoCode!.Id;
            u.CustomerId = u.Customer!.Id;
            u.OrderId = u.Order?.Id ?? u.OrderId;
        });
        Write(db, _ledger, l =>
        {
            l.CustomerId = l.Customer!.Id;
            l.OrderId = l.Order?.Id ?? l.OrderId;
            l.LotId = l.Lot?.Id ?? l.LotId;
        });
        Timing?.Lap("loyalty-rows");
        Write(db, _events, e =>
        {
            e.CustomerId = e.Customer!.Id;
            e.OrderId = e.Order?.Id ?? e.OrderId;
            e.StoreId = e.Store?.Id ?? e.StoreId;
        });
        Timing?.Lap("timeline-rows");
        Write(db, _facets, f => f.CustomerId = f.Customer!.Id);
        UpsertActivity(connection, transaction);
        Timing?.Lap("segment-facts");
        Clear();
    }

    // One statement per (customer, channel): first and last times only ever widen, and a row is written only when they do.
    private void UpsertActivity(DbConnection connection, DbTransaction? transaction)
    {
        if (_activity.Count == 0) return;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO "CustomerChannelActivities" ("CustomerId", "Channel", "FirstAtUtc", "LastAtUtc") VALUES ($c, $ch, $f, $l)
            ON CONFLICT ("CustomerId", "Channel") DO UPDATE SET
              "FirstAtUtc" = min("FirstAtUtc", excluded."FirstAtUtc"), "LastAtUtc" = max("LastAtUtc", excluded."LastAtUtc")
            WHERE excluded."LastAtUtc" > "LastAtUtc" OR excluded."FirstAtUtc" < "FirstAtUtc"
            """; // an event inside the known span changes nothing, and then SQLite writes nothing
        var c = command.CreateParameter(); c.ParameterName = "$c"; command.Parameters.Add(c);
        var ch = command.CreateParameter(); ch.ParameterName = "$ch"; command.Parameters.Add(ch);
        var f = command.CreateParameter(); f.ParameterName = "$f"; command.Parameters.Add(f);
        var l = command.CreateParameter(); l.ParameterName = "$l"; command.Parameters.Add(l);
        command.Prepare();
        foreach (var ((customer, channel), (first, last)) in _activity)
        {
            if (activityWrites?.IsCurrent(customer.Id, channel, first, last) == true) continue;
            ActivityWritten.Add((customer.Id, channel, first, last));
            c.Value = customer.Id;
            ch.Value = channel.ToString();
            f.Value = SqliteTime(first);
            l.Value = SqliteTime(last);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>DateTime as EF's SQLite provider stores it, so min/max compare like the values EF writes.</summary>
    internal static string SqliteTime(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);

    private async Task SaveActivityAsync(OmniConsoleDbContext db, CancellationToken ct)
    {
        foreach (var ((customer, channel), (first, last)) in _activity)
        {
            if (activityWrites?.IsCurrent(customer.Id, channel, first, last) == true) continue;
            ActivityWritten.Add((customer.Id, channel, first, last));
            var row = await db.CustomerChannelActivities.FindAsync([customer.Id, channel], ct);
            if (row is null) db.CustomerChannelActivities.Add(new CustomerChannelActivity { CustomerId = customer.Id, Channel = channel, FirstAtUtc = first, LastAtUtc = last });
            else (row.FirstAtUtc, row.LastAtUtc) = (first < row.FirstAtUtc ? first : row.FirstAtUtc, last > row.LastAtUtc ? last : row.LastAtUtc);
        }
        await db.SaveChangesAsync(ct);
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

    private static void Write<T>(DbContext db, List<T> rows, Action<T> linkKeys, Action<T, long>? setKey = null) where T : class
    {
        if (rows.Count > 0) BulkRows.InsertSqlite(db, rows, linkKeys, setKey);
    }
}
