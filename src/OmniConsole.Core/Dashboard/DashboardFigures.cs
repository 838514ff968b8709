using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Orders;

namespace OmniConsole.Core.Dashboard;

/// <summary>
/// The manager's overview on <c>/</c>, per period: customers (total, active, new per week), sales per channel and week or
/// month, top stores, buyers by the number of channels they bought in, and the bonus liability. Every figure is counted
/// or summed in SQL (GROUP BY over index ranges); only grouped rows come back.
/// </summary>
/// <remarks>
/// At a million customers a period takes seconds to compute (docs/dashboard.md), so snapshots are kept per period and
/// shown with the time they were computed: the instance that runs the shared work computes all periods at start and every
/// <see cref="RefreshEvery"/>, and the page's refresh button asks for a new one. Each new snapshot is also stored
/// (<see cref="KeptDashboard"/>), and every web instance takes the newer ones in (<see cref="TakeInStoredAsync"/>), so
/// several instances compute the figures once between them. Callers that arrive while a snapshot is
/// being computed wait for it rather than starting another; a refresh waits for one that started after it was asked for.
/// </remarks>
public sealed class DashboardFigures(IDbContextFactory<OmniConsoleDbContext> dbFactory, TimeProvider clock, IOptions<OmniConsoleOptions> options)
{
    /// <summary>A customer is active who bought in this many days up to now.</summary>
    public const int ActiveDays = 90;
    public const int LatestCampaigns = 5;
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<DashboardPeriod, (DashboardSnapshot Snapshot, long Sequence)> _kept = new();
    private readonly Dictionary<DashboardPeriod, SemaphoreSlim> _gates = Enum.GetValues<DashboardPeriod>().ToDictionary(p => p, _ => new SemaphoreSlim(1, 1));
    private long _started;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(options.Value.DisplayTimeZone);

    /// <summary>The kept snapshot of the period, if one was computed.</summary>
    public DashboardSnapshot? Kept(DashboardPeriod period) => _kept.TryGetValue(period, out var k) ? k.Snapshot : null;

    /// <summary>The kept snapshot, or (none yet) the one being computed, or a new one.</summary>
    public Task<DashboardSnapshot> GetAsync(DashboardPeriod period, CancellationToken ct) =>
        Kept(period) is { } kept ? Task.FromResult(kept) : RefreshCoreAsync(period, acceptAny: true, ct);

    /// <summary>A snapshot computed after this call (shared with other callers who asked meanwhile), kept for the next readers.</summary>
    public Task<DashboardSnapshot> RefreshAsync(DashboardPeriod period, CancellationToken ct) => RefreshCoreAsync(period, acceptAny: false, ct);

    private async Task<DashboardSnapshot> RefreshCoreAsync(DashboardPeriod period, bool acceptAny, CancellationToken ct)
    {
        var asked = Interlocked.Read(ref _started);
        var gate = _gates[period];
        await gate.WaitAsync(ct);
        try
        {
            // One computed while we waited: any will do for a reader; a refresh takes only one that started after it asked.
            if (_kept.TryGetValue(period, out var kept) && (acceptAny || kept.Sequence > asked)) return kept.Snapshot;
            var sequence = Interlocked.Increment(ref _started);
            var snapshot = await ComputeAsync(period, ct);
            _kept[period] = (snapshot, sequence);
            await StoreAsync(snapshot, ct);
            return snapshot;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task StoreAsync(DashboardSnapshot snapshot, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.KeptDashboards.FirstOrDefaultAsync(k => k.Period == snapshot.Period, ct);
        if (row is null) db.KeptDashboards.Add(row = new KeptDashboard { Period = snapshot.Period });
        else if (row.AtUtc >= snapshot.AtUtc) return; // another instance stored a newer one meanwhile
        (row.AtUtc, row.Json) = (snapshot.AtUtc, JsonValue.Serialize(snapshot));
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { } // another instance stored the period's first row at the same moment: theirs will do
    }

    /// <summary>Takes in the stored snapshots newer than this instance's own (another instance computed them); how many.</summary>
    public async Task<int> TakeInStoredAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.KeptDashboards.AsNoTracking().Select(k => new { k.Period, k.AtUtc }).ToListAsync(ct);
        var taken = 0;
        foreach (var s in stored.Where(s => Kept(s.Period) is not { } mine || mine.AtUtc < s.AtUtc))
        {
            var json = await db.KeptDashboards.AsNoTracking().Where(k => k.Period == s.Period).Select(k => k.Json).FirstAsync(ct);
            var snapshot = System.Text.Json.JsonSerializer.Deserialize<DashboardSnapshot>(json, JsonValue.Options)!;
            _kept[s.Period] = (snapshot, Interlocked.Increment(ref _started));
            taken++;
        }
        return taken;
    }

    /// <summary>Computes the period's figures now, from the database (nothing kept is read or changed).</summary>
    public async Task<DashboardSnapshot> ComputeAsync(DashboardPeriod period, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = Zone;
        var from = DashboardPeriods.Start(period, now, zone);
        var weeks = DashboardPeriods.Weeks(from, now, zone);
        var salesBuckets = DashboardPeriods.SalesByMonth(period) ? DashboardPeriods.Months(from, now, zone) : weeks;

        // Two connections side by side: orders on one, customers and points on the other.
        var people = CustomersAsync(now, weeks, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = new List<(int Bucket, SalesGroup Group)>();
        for (var i = 0; i < salesBuckets.Count; i++)
            groups.AddRange((await SalesAsync(db, salesBuckets[i], ct)).Select(g => (i, g)));
        var byChannelCount = await ByChannelCountAsync(db, from, now, ct);
        var topStores = await TopStoresAsync(db, groups.Select(g => g.Group), ct);
        var (customers, liability) = await people;

        var sales = groups.GroupBy(g => (g.Bucket, g.Group.Channel))
            .Select(c => new SalesCell(c.Key.Bucket, c.Key.Channel, c.Sum(g => g.Group.Orders),
                new Money(c.Sum(g => g.Group.Paid)), new Money(c.Sum(g => g.Group.Refunded))))
            .OrderBy(c => c.Bucket).ThenBy(c => c.Channel).ToList();
        return new DashboardSnapshot(period, now, from, watch.Elapsed, customers, salesBuckets, sales, topStores, byChannelCount, liability);
    }

    /// <summary>The latest campaigns and how many there are (read live: the table is small).</summary>
    public async Task<CampaignList> CampaignsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var total = await db.Campaigns.CountAsync(ct);
        // Running campaigns first, then the latest; their results from the outbox (one index range per campaign).
        var latest = (await db.Campaigns.AsNoTracking()
            .OrderBy(c => c.Status == Campaigns.CampaignStatus.Running ? 0 : 1).ThenByDescending(c => c.LaunchedAtUtc ?? c.CreatedAtUtc).ThenBy(c => c.Id)
            .Take(LatestCampaigns).Select(c => new { Row = new CampaignRow(c.Id, c.Name, c.Channel, c.CreatedAtUtc, c.Status, null, null, null), c.DefinitionJson })
            .ToListAsync(ct))
            .Select(c => c.Row with { Steps = c.DefinitionJson is null ? [] : JsonValue.Deserialize<Campaigns.CampaignInput>(c.DefinitionJson).Steps ?? [] }).ToList();
        var ids = latest.Select(c => c.Id).ToList();
        var results = await db.Outbox.AsNoTracking().Where(m => ids.Contains(m.CampaignId)).GroupBy(m => m.CampaignId)
            .Select(g => new { g.Key, Sent = g.Count(m => m.SentAtUtc != null), Opened = g.Count(m => m.OpenedAtUtc != null) }).ToDictionaryAsync(r => r.Key, ct);
        return new CampaignList(total, latest.Select(c => results.TryGetValue(c.Id, out var r) ? c with { Sent = r.Sent, Opened = r.Opened } : c).ToList());
    }

    private static IQueryable<Order> Purchases(OmniConsoleDbContext db, DateTime fromUtc, DateTime toUtc) =>
        db.Orders.AsNoTracking().Where(o => o.Status == OrderStatus.Purchased && o.OccurredAtUtc >= fromUtc && o.OccurredAtUtc < toUtc);

    private sealed record SalesGroup(Common.Channel Channel, int? StoreId, int Orders, long Paid, long Refunded);

    /// <summary>One bucket's purchases by channel and store: one range of the (time, status, channel, store, …, amounts) index.</summary>
    private static Task<List<SalesGroup>> SalesAsync(OmniConsoleDbContext db, Bucket bucket, CancellationToken ct) =>
        Purchases(db, bucket.FromUtc, bucket.ToUtc)
            .GroupBy(o => new { o.Channel, o.StoreId })
            .Select(g => new SalesGroup(g.Key.Channel, g.Key.StoreId, g.Count(),
                g.Sum(o => o.TotalMinor - o.BonusRedeemedMinor), g.Sum(o => o.RefundedPaidMinor)))
            .ToListAsync(ct);

    /// <summary>Buyers of the period grouped by how many channels each bought in, with their net spend.</summary>
    private static async Task<IReadOnlyList<ChannelCountRow>> ByChannelCountAsync(OmniConsoleDbContext db, DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        var rows = await Purchases(db, fromUtc, toUtc)
            .GroupBy(o => o.CustomerId)
            .Select(g => new { Channels = g.Select(o => o.Channel).Distinct().Count(), Spent = g.Sum(o => o.TotalMinor - o.BonusRedeemedMinor - o.RefundedPaidMinor) })
            .GroupBy(c => c.Channels)
            .Select(g => new { Channels = g.Key, Customers = g.Count(), Spent = g.Sum(c => c.Spent) })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Channels).Select(r => new ChannelCountRow(r.Channels, r.Customers, new Money(r.Spent))).ToList();
    }

    /// <summary>The stores with the largest net sales, from the sales already grouped by store.</summary>
    private static async Task<IReadOnlyList<StoreSales>> TopStoresAsync(OmniConsoleDbContext db, IEnumerable<SalesGroup> groups, CancellationToken ct)
    {
        var top = groups.Where(g => g.StoreId is not null).GroupBy(g => g.StoreId!.Value)
            .Select(s => (StoreId: s.Key, Orders: s.Sum(g => g.Orders), Net: s.Sum(g => g.Paid - g.Refunded)))
            .OrderByDescending(s => s.Net).ThenBy(s => s.StoreId).Take(DashboardSnapshot.TopStoreCount).ToList();
        var ids = top.Select(s => s.StoreId).ToList();
        var stores = await db.Stores.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        return top.Select(s => stores.TryGetValue(s.StoreId, out var store)
            ? new StoreSales(s.StoreId, store.Code, store.Name, store.City, s.Orders, new Money(s.Net))
            : new StoreSales(s.StoreId, $"#{s.StoreId}", $"#{s.StoreId}", null, s.Orders, new Money(s.Net))).ToList();
    }

    private async Task<(CustomerFigures, BonusBalance)> CustomersAsync(DateTime now, IReadOnlyList<Bucket> weeks, CancellationToken ct)
    {
        await Task.Yield(); // the caller goes on to the orders meanwhile
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customers = db.Customers.AsNoTracking().Where(c => c.MergedIntoId == null);
        var total = await customers.CountAsync(ct);
        var active = await Purchases(db, now.AddDays(-ActiveDays), now).Select(o => o.CustomerId).Distinct().CountAsync(ct);
        // By the registration index, not by walking every live customer once per week (measured on the demo data's plan).
        var unmerged = db.Customers.AsNoTracking().Where(Customers.Customer.LiveBesideAnIndexedCondition);
        var perWeek = new List<int>(weeks.Count);
        foreach (var w in weeks)
            perWeek.Add(await unmerged.CountAsync(c => c.RegisteredAtUtc >= w.FromUtc && c.RegisteredAtUtc < w.ToUtc, ct));
        var liability = await BonusBalance.OfLotsAsync(db.BonusLots, now, ct);
        return (new CustomerFigures(total, active, weeks, perWeek), liability);
    }
}
