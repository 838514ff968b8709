namespace OmniConsole.Core.Dashboard;

/// <summary>The periods the dashboard offers. Each ends now.</summary>
public enum DashboardPeriod
{
    /// <summary>The last 30 × 24 hours; sales by week.</summary>
    Last30Days,
    /// <summary>The last 90 × 24 hours; sales by week.</summary>
    Last90Days,
    /// <summary>The current calendar month and the 11 before it (display time zone); sales by month.</summary>
    Last12Months,
}

/// <summary>A slice of a period: [FromUtc, ToUtc), and where it starts on the display time zone's calendar (its label).</summary>
public sealed record Bucket(DateTime FromUtc, DateTime ToUtc, DateTime LocalStart);

/// <summary>
/// Where periods start and how they are cut into weeks (Monday 00:00) and calendar months, on the display time zone's
/// calendar. The first slice is cut at the period's start and the last ends now, so the slices add up to the period.
/// </summary>
public static class DashboardPeriods
{
    public static DateTime Start(DashboardPeriod period, DateTime nowUtc, TimeZoneInfo zone) => period switch
    {
        DashboardPeriod.Last30Days => nowUtc.AddDays(-30),
        DashboardPeriod.Last90Days => nowUtc.AddDays(-90),
        _ => ToUtc(MonthStart(Local(nowUtc, zone)).AddMonths(-11), zone),
    };

    /// <summary>Sales are shown by month over 12 months and by week over shorter periods.</summary>
    public static bool SalesByMonth(DashboardPeriod period) => period == DashboardPeriod.Last12Months;

    public static IReadOnlyList<Bucket> Weeks(DateTime fromUtc, DateTime toUtc, TimeZoneInfo zone) =>
        Slices(fromUtc, toUtc, zone, local => local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)), d => d.AddDays(7));

    public static IReadOnlyList<Bucket> Months(DateTime fromUtc, DateTime toUtc, TimeZoneInfo zone) =>
        Slices(fromUtc, toUtc, zone, MonthStart, d => d.AddMonths(1));

    private static IReadOnlyList<Bucket> Slices(DateTime fromUtc, DateTime toUtc, TimeZoneInfo zone, Func<DateTime, DateTime> startOf, Func<DateTime, DateTime> next)
    {
        var slices = new List<Bucket>();
        var localFrom = Local(fromUtc, zone);
        for (var start = startOf(localFrom); ToUtc(start, zone) < toUtc; start = next(start))
        {
            var from = ToUtc(start, zone) < fromUtc ? fromUtc : ToUtc(start, zone);
            var end = ToUtc(next(start), zone);
            slices.Add(new Bucket(from, end < toUtc ? end : toUtc, from == fromUtc ? localFrom : start));
        }
        return slices;
    }

    private static DateTime MonthStart(DateTime local) => new(local.Year, local.Month, 1);

    private static DateTime Local(DateTime utc, TimeZoneInfo zone) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone), DateTimeKind.Unspecified);

    /// <summary>A local midnight as UTC; a midnight that a clock change skips is taken an hour later.</summary>
    private static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeToUtc(local, zone), DateTimeKind.Utc);
    }
}
