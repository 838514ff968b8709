using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

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
    /// <summary>
    /// How long a dispatcher holds the rows it claimed; it renews the claim before each send, and after a crash another
    /// takes them when this runs out. The message being sent is held this long plus the longest its send can take (<see cref="LongestSend"/>).
    /// </summary>
    public int ClaimSeconds { get; set; } = 120;
    /// <summary>Messages a dispatcher claims at once for a real provider (small: each is recorded as soon as it is accepted).</summary>
    public int SendBatchSize { get; set; } = 20;
    /// <summary>A message the provider keeps refusing for now (timeouts, 5xx, SMTP 4xx) is tried again for this long after its first attempt.</summary>
    public int RetryHours { get; set; } = 24;
    /// <summary>The longest wait between two attempts at one message (the wait doubles from 30 s up to this).</summary>
    public int MaxRetryMinutes { get; set; } = 30;
    /// <summary>When a channel's provider keeps failing, the channel pauses (its messages wait in the queue) instead of failing them.</summary>
    public BreakerOptions Breaker { get; set; } = new();
    /// <summary>Messages per second each channel's provider is sent at most (per channel name; none: as fast as it goes).</summary>
    public Dictionary<string, int> RatePerSecond { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public int? CapPerDay(Channel channel) =>
        Caps.TryGetValue(channel.ToString(), out var cap) ? cap.PerDay : channel == Channel.Sms ? 3 : null;

    /// <summary>
    /// The longest one send to the channel's provider can take before it gives up: the gateway's timeout, or SMTP's per
    /// command over every command of a send. A message is held by its dispatcher at least this long past its claim's
    /// renewal, so a slow send is never taken and sent again by another instance.
    /// </summary>
    public TimeSpan LongestSend(Channel channel) =>
        channel == Channel.Email ? Delivery.SmtpEmailSender.CommandTimeout * Delivery.SmtpEmailSender.CommandsPerSend
        : GatewayOf(channel)?.Timeout ?? TimeSpan.Zero;

    /// <summary>The HTTP gateway's settings of an SMS, Viber, Telegram or push channel; null for the others.</summary>
    public GatewayOptions? GatewayOf(Channel channel) => channel switch
    {
        Channel.Sms => Sms,
        Channel.Viber => Viber,
        Channel.Telegram => Telegram,
        Channel.Push => Push,
        _ => null,
    };

    public string? ProviderOf(Channel channel) => channel == Channel.Email ? Email.Provider : GatewayOf(channel)?.Provider;
}

public class EmailProviderOptions
{
    /// <summary><c>Smtp</c> or <c>Sandbox</c>; empty: e-mail cannot be used in a campaign.</summary>
    public string? Provider { get; set; }
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 25;
    public string From { get; set; } = "OmniConsole <noreply@omniconsole.local>";
    /// <summary>
    /// How the connection is protected (<see cref="SecurityModes"/>): <c>Auto</c> (the default) is TLS from the start on
    /// port 465 and STARTTLS whenever the server offers it elsewhere; <c>StartTls</c> refuses a server that does not offer
    /// it; <c>SslOnConnect</c> is TLS from the start on any port; <c>None</c> sends in the clear (a relay on the same host).
    /// </summary>
    public string? Security { get; set; }
    /// <summary>The older switch (MANAGEMENT-API.md): true = TLS required (465: from the start, else STARTTLS), false = none. <see cref="Security"/> wins when both are set.</summary>
    public bool? UseTls { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

public static class SecurityModes
{
    public const string Auto = "Auto", None = "None", StartTls = "StartTls", SslOnConnect = "SslOnConnect";
    public static readonly IReadOnlyList<string> All = [Auto, None, StartTls, SslOnConnect];

    /// <summary>The mode the options name (<see cref="EmailProviderOptions.Security"/>, else the older <c>UseTls</c>, else Auto); null when <c>Security</c> is none of them.</summary>
    public static string? Of(EmailProviderOptions o) => o.Security is { Length: > 0 } named
        ? All.FirstOrDefault(m => string.Equals(m, named.Trim(), StringComparison.OrdinalIgnoreCase))
        : o.UseTls switch { true => o.Port == 465 ? SslOnConnect : StartTls, false => None, null => Auto };
}

/// <summary>Stops the app at start on an e-mail security setting it cannot honour, instead of sending in the clear.</summary>
public sealed class MessagingOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<MessagingOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, MessagingOptions o)
    {
        var key = $"{MessagingOptions.Section}:Email";
        var mode = SecurityModes.Of(o.Email);
        if (mode is null)
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                $"{key}:Security is '{o.Email.Security}'; use one of {string.Join(", ", SecurityModes.All)}.");
        if (o.Email.Security is { Length: > 0 } && o.Email.UseTls is { } useTls && useTls == (mode == SecurityModes.None))
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                $"{key}:UseTls is {useTls.ToString().ToLowerInvariant()} but {key}:Security is '{o.Email.Security}'; set one of them (Security is the newer).");
        return Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}

public class GatewayOptions
{
    /// <summary><c>Http</c> or <c>Sandbox</c>; empty: the channel cannot be used in a campaign.</summary>
    public string? Provider { get; set; }
    /// <summary>The gateway's endpoint: <c>POST Url</c> with <c>{ "messageId", "to", "text" }</c>.</summary>
    public string? Url { get; set; }
    /// <summary>How long one request may take before it counts as failed for now.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    public TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(1, TimeoutSeconds));
}

/// <summary>A channel pauses when at least <see cref="FailureRatio"/> of at least <see cref="MinimumThroughput"/> sends in <see cref="SamplingSeconds"/> failed for now; it tries again after <see cref="BreakSeconds"/>.</summary>
public class BreakerOptions
{
    public double FailureRatio { get; set; } = 0.5;
    public int MinimumThroughput { get; set; } = 5;
    public int SamplingSeconds { get; set; } = 60;
    public int BreakSeconds { get; set; } = 60;
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
