namespace OmniConsole.Core;

/// <summary>The <c>OmniConsole</c> configuration section (docs/operations.md, Configuration).</summary>
/// <summary>Several instances can share one database: web instances answer staff and channels, a worker does the shared background work.</summary>
public enum InstanceRole { All, Web, Worker }

public class OmniConsoleOptions
{
    public const string Section = "OmniConsole";

    public bool SeedDemoData { get; set; }
    /// <summary>What this instance does: <c>All</c> (the default), <c>Web</c> (the UI and the APIs, no background work) or <c>Worker</c> (the background work, no UI or API).</summary>
    public InstanceRole Role { get; set; } = InstanceRole.All;
    public List<ConfiguredApiKey> ApiKeys { get; set; } = [];
    /// <summary>Placeholders typed at tills that never identify anyone (compared after normalisation).</summary>
    public List<string> IdentifierBlocklist { get; set; } = [];
    /// <summary>Region for phones written without a country code (ISO 3166 two letters).</summary>
    public string DefaultPhoneRegion { get; set; } = "RU";
    public string Currency { get; set; } = "RUB";
    /// <summary>Time zone staff read times in (IANA id); stored times are UTC.</summary>
    public string DisplayTimeZone { get; set; } = "Europe/Moscow";
    /// <summary>The UI language and formats a user gets until they pick another (the culture cookie); <c>ru-RU</c> or <c>en-US</c>.</summary>
    public string DefaultCulture { get; set; } = "ru-RU";
    public LoyaltyOptions Loyalty { get; set; } = new();
    /// <summary>Where finished exports are kept until downloaded (relative to the working directory).</summary>
    public string ExportFolder { get; set; } = "exports";
    public ExportOptions Exports { get; set; } = new();
    public SignInProtectionOptions SignIn { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();
}

/// <summary>Identity lockout: a wrong password this many times in a row locks the staff account for that long.</summary>
public class SignInProtectionOptions
{
    public int MaxFailedAttempts { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
    /// <summary>Administrators without an authenticator app open nothing but the page that sets one up.</summary>
    public bool RequireTwoFactorForAdministrators { get; set; }
}

/// <summary>Requests per minute before 429 with Retry-After: sign-in form posts per client address, API calls per key (per client address without a valid key), tracking links per client address.</summary>
public class RateLimitOptions
{
    public int SignInPerMinute { get; set; } = 10;
    public int ApiPerMinute { get; set; } = 6_000;
    /// <summary>API calls without a valid key (none, unknown, revoked) per client address.</summary>
    public int AnonymousPerMinute { get; set; } = 600;
    /// <summary>Requests to the customers' tracking links (<c>/t/…</c>: opens, clicks, unsubscribes) per client address.</summary>
    public int LinksPerMinute { get; set; } = 600;
    /// <summary>Event batches that may wait for the writer at once; past it a batch is refused with 503 and Retry-After.</summary>
    public int MaxWaitingBatches { get; set; } = 64;
}

public class ConfiguredApiKey
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
    /// <summary>What the key may call; without it a configured key has <c>channel</c> only.</summary>
    public List<string> Scopes { get; set; } = [];
    /// <summary>Calls a minute this key may make on each instance; without it <c>RateLimits:ApiPerMinute</c>.</summary>
    public int? CallsPerMinute { get; set; }
}

public class ExportOptions
{
    /// <summary>Days a finished export's file is kept; then a background pass deletes it and the job reads "expired".</summary>
    public int RetentionDays { get; set; } = 30;
}

public class LoyaltyOptions
{
    /// <summary>Share of a check payable with points unless a rule says otherwise.</summary>
    public decimal MaxRedeemShare { get; set; } = 0.5m;
}
