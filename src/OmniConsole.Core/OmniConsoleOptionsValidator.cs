using Microsoft.Extensions.Options;
using PhoneNumbers;

namespace OmniConsole.Core;

/// <summary>
/// A wrong setting stops the app at start with the key and what is wrong, instead of a silent fallback (Moscow time
/// for a typo in the time zone, Russian numbering for an unknown region) that shows staff wrong dates or merges the
/// wrong customers.
/// </summary>
public sealed class OmniConsoleOptionsValidator : IValidateOptions<OmniConsoleOptions>
{
    /// <summary>Timeline sources OmniConsole writes itself; an API key by these names could pass off its events as ours.</summary>
    public static readonly IReadOnlySet<string> ReservedKeyNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "system", "demo" };

    public ValidateOptionsResult Validate(string? name, OmniConsoleOptions o)
    {
        var errors = new List<string>();
        void Check(bool ok, string key, string message) { if (!ok) errors.Add($"{OmniConsoleOptions.Section}:{key} {message}"); }

        Check(TimeZoneInfo.TryFindSystemTimeZoneById(o.DisplayTimeZone ?? "", out _), nameof(o.DisplayTimeZone),
            $"is '{o.DisplayTimeZone}', which is not a time zone this machine knows (use an IANA id such as Europe/Moscow).");
        Check(PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(o.DefaultPhoneRegion ?? ""), nameof(o.DefaultPhoneRegion),
            $"is '{o.DefaultPhoneRegion}', which is not a two-letter region with phone numbering (e.g. RU, KZ, BY).");
        Check(o.Currency is { Length: 3 } c && c.All(char.IsAsciiLetterUpper), nameof(o.Currency), $"is '{o.Currency}'; use an ISO 4217 code such as RUB.");
        Check(o.Loyalty.MaxRedeemShare is >= 0 and <= 1, "Loyalty:MaxRedeemShare", $"is {o.Loyalty.MaxRedeemShare}; it is a share between 0 and 1.");
        Check(o.SignIn.MaxFailedAttempts >= 1, "SignIn:MaxFailedAttempts", "must be 1 or more.");
        Check(o.SignIn.LockoutMinutes >= 1, "SignIn:LockoutMinutes", "must be 1 or more.");
        Check(o.RateLimits.SignInPerMinute >= 1, "RateLimits:SignInPerMinute", "must be 1 or more.");
        Check(o.RateLimits.ApiPerMinute >= 1, "RateLimits:ApiPerMinute", "must be 1 or more.");
        Check(o.RateLimits.AnonymousPerMinute >= 1, "RateLimits:AnonymousPerMinute", "must be 1 or more.");
        Check(o.RateLimits.LinksPerMinute >= 1, "RateLimits:LinksPerMinute", "must be 1 or more.");
        Check(o.RateLimits.MaxWaitingBatches >= 1, "RateLimits:MaxWaitingBatches", "must be 1 or more.");
        Check(!string.IsNullOrWhiteSpace(o.ExportFolder), nameof(o.ExportFolder), "must name a folder.");
        Check(o.Exports.RetentionDays is >= 1 and <= 3650, "Exports:RetentionDays", $"is {o.Exports.RetentionDays}; files are kept from 1 to 3650 days.");
        for (var i = 0; i < o.ApiKeys.Count; i++)
        {
            var key = o.ApiKeys[i];
            Check(!string.IsNullOrWhiteSpace(key.Name) && !ReservedKeyNames.Contains(key.Name.Trim()), $"ApiKeys:{i}:Name",
                $"is '{key.Name}'; a key needs a name, and {string.Join(" and ", ReservedKeyNames)} are OmniConsole's own.");
            Check(o.ApiKeys.Take(i).All(k => !string.Equals(k.Name.Trim(), key.Name.Trim(), StringComparison.OrdinalIgnoreCase)), $"ApiKeys:{i}:Name",
                $"is '{key.Name}', the name of another key; events are attributed by name, so names are unique.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
