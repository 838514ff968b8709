using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Core.Dashboard;

/// <summary>
/// The dashboard's figures for one period, as computed at <see cref="AtUtc"/> (they are kept and shown with that time).
/// Sales are purchases (orders in status Purchased) by the time they were made; "net" is the paid amount (total less bonus
/// points) less the paid part of the refunds made against them so far — the amount tiers and the "spent" segment condition
/// count.
/// </summary>
/// <param name="Took">how long computing it took</param>
/// <param name="SalesBuckets">weeks, or months over 12 months (<see cref="DashboardPeriods.SalesByMonth"/>)</param>
public sealed record DashboardSnapshot(
    DashboardPeriod Period, DateTime AtUtc, DateTime FromUtc, TimeSpan Took,
    CustomerFigures Customers,
    IReadOnlyList<Bucket> SalesBuckets, IReadOnlyList<SalesCell> Sales,
    IReadOnlyList<StoreSales> TopStores,
    IReadOnlyList<ChannelCountRow> ByChannelCount,
    BonusBalance Liability)
{
    public const int TopStoreCount = 10;

    /// <summary>Each channel's sales over the whole period, largest net first.</summary>
    public IReadOnlyList<SalesCell> ByChannel => Sales.GroupBy(s => s.Channel)
        .Select(g => new SalesCell(-1, g.Key, g.Sum(s => s.Orders), new Money(g.Sum(s => s.Paid.Minor)), new Money(g.Sum(s => s.Refunded.Minor))))
        .OrderByDescending(s => s.Net).ThenBy(s => s.Channel).ToList();

    public SalesCell Total => new(-1, null, Sales.Sum(s => s.Orders), new Money(Sales.Sum(s => s.Paid.Minor)), new Money(Sales.Sum(s => s.Refunded.Minor)));

    /// <summary>Buyers in 2 channels or more.</summary>
    public Buyers Omnichannel => Buyers.Of(ByChannelCount.Where(r => r.Channels >= 2));

    /// <summary>Buyers in exactly one channel.</summary>
    public Buyers SingleChannel => Buyers.Of(ByChannelCount.Where(r => r.Channels == 1));
}

/// <param name="Total">customers (merged duplicates not counted)</param>
/// <param name="Active">customers with a purchase in the last <see cref="DashboardFigures.ActiveDays"/> days</param>
/// <param name="NewPerWeek">customers registered in each week of the period (merged duplicates not counted)</param>
public sealed record CustomerFigures(int Total, int Active, IReadOnlyList<Bucket> Weeks, IReadOnlyList<int> NewPerWeek)
{
    public int New => NewPerWeek.Sum();
}

/// <summary>Purchases of one channel in one bucket (<paramref name="Bucket"/> indexes the snapshot's sales buckets; −1: a total).</summary>
/// <param name="Paid">total less bonus points</param>
/// <param name="Refunded">the paid part of the refunds made against these purchases so far</param>
public sealed record SalesCell(int Bucket, Channel? Channel, int Orders, Money Paid, Money Refunded)
{
    public Money Net => Paid - Refunded;
}

public sealed record StoreSales(int StoreId, string Code, string Name, string? City, int Orders, Money Net);

/// <summary>Customers who bought in the period in exactly <paramref name="Channels"/> channels, and their net spend.</summary>
public sealed record ChannelCountRow(int Channels, int Customers, Money Spent);

public sealed record Buyers(int Customers, Money Spent)
{
    public Money AverageSpend => Customers == 0 ? Money.Zero : new Money(Spent.Minor / Customers);

    public static Buyers Of(IEnumerable<ChannelCountRow> rows)
    {
        var list = rows.ToList();
        return new Buyers(list.Sum(r => r.Customers), new Money(list.Sum(r => r.Spent.Minor)));
    }
}

/// <summary>
/// A campaign and its latest results (sent, opened; null for campaigns OmniConsole did not send itself), with its steps
/// so every channel of a cascade can be shown (<see cref="Channel"/> records the first).
/// </summary>
public sealed record CampaignRow(string Id, string Name, Channel? Channel, DateTime CreatedAtUtc, Campaigns.CampaignStatus Status = Campaigns.CampaignStatus.Completed,
    int? Sent = null, int? Opened = null, IReadOnlyList<Campaigns.CampaignStep>? Steps = null);

public sealed record CampaignList(int Total, IReadOnlyList<CampaignRow> Latest);
