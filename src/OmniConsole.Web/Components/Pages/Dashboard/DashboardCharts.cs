using System.Globalization;
using MudBlazor;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Dashboard;

namespace OmniConsole.Web.Components.Pages.Dashboard;

/// <summary>What the dashboard's charts share: bucket labels on the display calendar, and amounts on axes.</summary>
public static class DashboardCharts
{
    /// <summary>
    /// Each bucket's label: the month ("Mar", with the year on the first and on January: "Jan 2026") or the week's first
    /// day ("4 May"). With many buckets only every n-th is labelled so the labels do not run into each other.
    /// </summary>
    public static string[] Labels(IReadOnlyList<Bucket> buckets, bool byMonth)
    {
        var every = buckets.Count <= 14 ? 1 : (int)Math.Ceiling(buckets.Count / 13.0);
        return buckets.Select((b, i) => i % every != 0 ? ""
            : b.LocalStart.ToString(!byMonth ? "d MMM" : i == 0 || b.LocalStart.Month == 1 ? "MMM yyyy" : "MMM", CultureInfo.CurrentCulture)).ToArray();
    }

    /// <summary>Axis numbers shortened in the user's culture (12,500,000 → "12.5M" / "12,5 млн", 25,000 → "25K" / "25 тыс."); exact figures are in the tables.</summary>
    public static string Compact(double value)
    {
        var russian = CultureInfo.CurrentCulture.TwoLetterISOLanguageName == "ru";
        return Math.Abs(value) switch
        {
            >= 1_000_000 => (value / 1_000_000).ToString("0.#", CultureInfo.CurrentCulture) + (russian ? " млн" : "M"),
            >= 10_000 => (value / 1_000).ToString("0", CultureInfo.CurrentCulture) + (russian ? " тыс." : "K"),
            _ => value.ToString("N0", CultureInfo.CurrentCulture),
        };
    }

    /// <summary>
    /// A round spacing for a value axis up to <paramref name="max"/> with about <paramref name="ticks"/> ticks (1, 2 or 5
    /// times a power of ten, at least 1): 2 messages get 0, 1, 2, not MudBlazor's fixed spacing of 20.
    /// </summary>
    public static int AxisStep(double max, int ticks = 5)
    {
        if (max <= ticks) return 1;
        var rough = max / ticks;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = (rough / power) switch { <= 1 => 1, <= 2 => 2, <= 5 => 5, _ => 10 } * power;
        return (int)Math.Min(int.MaxValue, Math.Max(1, step));
    }

    /// <summary>The channels' colours for SVG fills (brand.css holds the same values as CSS variables for HTML).</summary>
    public static string Color(Channel channel) => channel switch
    {
        Channel.Store => "#2e7d32",
        Channel.Online => "#1565c0",
        Channel.App => "#6a1b9a",
        Channel.CallCenter => "#ef6c00",
        Channel.Email => "#00838f",
        Channel.Sms => "#5d4037",
        Channel.Push => "#c2185b",
        Channel.Viber => "#7b1fa2",
        Channel.Telegram => "#0288d1",
        Channel.Social => "#3949ab",
        _ => "#757575",
    };

    public static StackedBarChartOptions StackedBars(IEnumerable<Channel> channels) => new()
    {
        ChartPalette = channels.Select(Color).ToArray(),
        YAxisToStringFunc = Compact,
        MaxNumYAxisTicks = 6,
    };
}
