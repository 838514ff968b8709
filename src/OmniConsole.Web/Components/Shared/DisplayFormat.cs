using System.Globalization;
using Microsoft.Extensions.Options;
using MudBlazor;
using OmniConsole.Core;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Web.Components.Shared;

/// <summary>How the UI shows times (in the installation's time zone), money (₽ by culture) and channels (icon, colour).</summary>
public sealed class DisplayFormat(IOptions<OmniConsoleOptions> options)
{
    private readonly TimeZoneInfo _zone = FindZone(options.Value.DisplayTimeZone);

    public DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);
    public DateTime ToUtc(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _zone);

    public string Time(DateTime? utc) => utc is { } t ? Local(t).ToString("g", CultureInfo.CurrentCulture) : "—";
    public string Date(DateTime? utc) => utc is { } t ? Local(t).ToString("d", CultureInfo.CurrentCulture) : "—";
    public static string Money(long minor) => new Money(minor).Format(CultureInfo.CurrentCulture);
    public static string Money(Money money) => money.Format(CultureInfo.CurrentCulture);
    /// <summary>Bonus points: a number without the ₽ sign (they are points, even at 1 point = 1 ₽); the label says "points".</summary>
    public static string Points(Money points) => Core.Timeline.TimelineText.Points(points.Minor, CultureInfo.CurrentCulture);
    /// <summary>A stored E.164 phone as people read it: +7 916 123-45-67.</summary>
    public static string Phone(string? e164) => e164 is null ? "" : Core.IdentityResolution.IdentifierNormalizer.ForReading(e164);

    public static string Icon(Channel channel) => channel switch
    {
        Channel.Store => Icons.Material.Filled.Storefront,
        Channel.Online => Icons.Material.Filled.Language,
        Channel.App => Icons.Material.Filled.PhoneIphone,
        Channel.CallCenter => Icons.Material.Filled.HeadsetMic,
        Channel.Email => Icons.Material.Filled.Email,
        Channel.Sms => Icons.Material.Filled.Sms,
        Channel.Push => Icons.Material.Filled.NotificationsActive,
        Channel.Viber => Icons.Material.Filled.Chat,
        Channel.Telegram => Icons.Material.Filled.Send,
        Channel.Social => Icons.Material.Filled.ThumbUp,
        _ => Icons.Material.Filled.Settings,
    };

    /// <summary>The channel's colour (CSS variable from brand.css).</summary>
    public static string Color(Channel channel) => $"var(--oc-{channel.ApiName()})";

    private static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
