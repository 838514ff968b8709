using OmniConsole.Core.Channels;

namespace OmniConsole.Core.Campaigns;

/// <summary>The <c>OmniConsole:Messaging</c> section (MANAGEMENT-API.md, Campaigns): providers, caps, quiet hours, tracking.</summary>
public class MessagingOptions
{
    public const string Section = "OmniConsole:Messaging";

    public EmailProviderOptions Email { get; set; } = new();
    public GatewayOptions Sms { get; set; } = new();
    public GatewayOptions Viber { get; set; } = new();
    public GatewayOptions Telegram { get; set; } = new();
    public GatewayOptions Push { get; set; } = new();

    /// <summary>Per channel name (<c>Sms</c>, <c>Email</c>…): messages a customer may get in 24 hours; SMS 3 unless set.</summary>
    public Dictionary<string, CapOptions> Caps { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public QuietHoursOptions QuietHours { get; set; } = new();

    /// <summary>Where customers reach the app from outside: the open pixel, click-through and unsubscribe links.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";
    /// <summary>false: this instance runs no campaign work (tests drive the flow and the dispatcher themselves).</summary>
    public bool Dispatch { get; set; } = true;
    /// <summary>An SMS longer than this many parts is refused in the editor and the API.</summary>
    public int SmsMaxParts { get; set; } = 3;
    /// <summary>A purchase this many days after a message converts it.</summary>
    public int AttributionDays { get; set; } = 7;
    /// <summary>How long a dispatcher holds the rows it claimed; after a crash another takes them when this runs out.</summary>
    public int ClaimSeconds { get; set; } = 120;
    /// <summary>Messages per second each channel's provider is sent at most (per channel name; none: as fast as it goes).</summary>
    public Dictionary<string, int> RatePerSecond { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public int? CapPerDay(Channel channel) =>
        Caps.TryGetValue(channel.ToString(), out var cap) ? cap.PerDay : channel == Channel.Sms ? 3 : null;

    public string? ProviderOf(Channel channel) => channel switch
    {
        Channel.Email => Email.Provider,
        Channel.Sms => Sms.Provider,
        Channel.Viber => Viber.Provider,
        Channel.Telegram => Telegram.Provider,
        Channel.Push => Push.Provider,
        _ => null,
    };
}

public class EmailProviderOptions
{
    /// <summary><c>Smtp</c> or <c>Sandbox</c>; empty: e-mail cannot be used in a campaign.</summary>
    public string? Provider { get; set; }
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 25;
    public string From { get; set; } = "OmniConsole <noreply@omniconsole.local>";
    public bool UseTls { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

public class GatewayOptions
{
    /// <summary><c>Http</c> or <c>Sandbox</c>; empty: the channel cannot be used in a campaign.</summary>
    public string? Provider { get; set; }
    /// <summary>The gateway's endpoint: <c>POST Url</c> with <c>{ "messageId", "to", "text" }</c>.</summary>
    public string? Url { get; set; }
}

public class CapOptions
{
    public int? PerDay { get; set; }
}

public class QuietHoursOptions
{
    public bool Enabled { get; set; }
    public string Start { get; set; } = "20:00";
    public string End { get; set; } = "08:00";
}
