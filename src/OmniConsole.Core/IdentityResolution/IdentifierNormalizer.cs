using System.Net.Mail;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Customers;
using PhoneNumbers;

namespace OmniConsole.Core.IdentityResolution;

/// <summary>
/// Brings identifiers to one form before they are matched or stored: phones to E.164 (libphonenumber, with the
/// installation's default region, so "8 (999) 123-45-67", "+7 999 1234567" and "79991234567" are one phone),
/// e-mails trimmed and lower-cased, card numbers without spaces. Knows the blocklist of till placeholders.
/// </summary>
public sealed class IdentifierNormalizer
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();
    private readonly string _region;
    private readonly HashSet<string> _blocked;

    public IdentifierNormalizer(IOptions<OmniConsoleOptions> options)
    {
        _region = options.Value.DefaultPhoneRegion;
        _blocked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in options.Value.IdentifierBlocklist.Where(e => !string.IsNullOrWhiteSpace(e)))
        {
            // A blocklist entry may be any kind of identifier: keep every form it normalises to.
            if (TryPhone(entry, out var phone, out _)) _blocked.Add(phone);
            if (TryEmail(entry, out var email, out _)) _blocked.Add(email);
            if (TryCard(entry, out var card, out _)) _blocked.Add(card);
        }
    }

    public bool IsBlocked(string normalized) => _blocked.Contains(normalized);

    public bool TryNormalize(IdentifierKind kind, string raw, out string normalized, out string error) => kind switch
    {
        IdentifierKind.Phone => TryPhone(raw, out normalized, out error),
        IdentifierKind.Email => TryEmail(raw, out normalized, out error),
        IdentifierKind.Card => TryCard(raw, out normalized, out error),
        _ => TryExternal(raw, out normalized, out error),
    };

    public bool TryPhone(string raw, out string normalized, out string error)
    {
        normalized = "";
        error = "";
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 40)
        {
            error = "Phone is empty or too long.";
            return false;
        }
        try
        {
            var number = Phones.Parse(raw, _region);
            if (!Phones.IsPossibleNumber(number))
            {
                error = $"'{raw}' is not a possible phone number.";
                return false;
            }
            normalized = Phones.Format(number, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            error = $"'{raw}' is not a phone number.";
            return false;
        }
    }

    /// <summary>
    /// A phone typed in part ("+7 916 123", "8 916 123", "916 123") as the start of the E.164 values it can complete to;
    /// empty when it has no digits. A number without "+" is national: its trunk prefix ("8" in Russia) gives way to the country code.
    /// </summary>
    public string PhonePrefix(string raw)
    {
        var digits = string.Concat(raw.Where(char.IsAsciiDigit));
        if (digits.Length == 0) return "";
        if (raw.TrimStart().StartsWith('+')) return "+" + digits;
        var country = Phones.GetCountryCodeForRegion(_region).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var trunk = Phones.GetMetadataForRegion(_region)?.NationalPrefix;
        if (!string.IsNullOrEmpty(trunk) && digits.StartsWith(trunk, StringComparison.Ordinal)) return "+" + country + digits[trunk.Length..];
        return "+" + (digits.StartsWith(country, StringComparison.Ordinal) ? digits : country + digits);
    }

    /// <summary>A stored E.164 phone as people read it ("+7 916 123-45-67"); anything unparsable as it is.</summary>
    public static string ForReading(string e164)
    {
        try
        {
            return Phones.Format(Phones.Parse(e164, null), PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }

    public static bool TryEmail(string raw, out string normalized, out string error)
    {
        normalized = (raw ?? "").Trim().ToLowerInvariant();
        error = "";
        if (normalized.Length is 0 or > 254 || !MailAddress.TryCreate(normalized, out var address) || address.Address != normalized
            || !address.Host.Contains('.'))
        {
            error = $"'{raw}' is not an e-mail address.";
            return false;
        }
        return true;
    }

    public static bool TryCard(string raw, out string normalized, out string error)
    {
        normalized = string.Concat((raw ?? "").Where(c => !char.IsWhiteSpace(c)));
        error = "";
        if (normalized.Length is 0 or > 64 || !normalized.All(char.IsAsciiLetterOrDigit))
        {
            error = $"'{raw}' is not a card number (letters and digits only, up to 64).";
            return false;
        }
        return true;
    }

    public static bool TryExternal(string raw, out string normalized, out string error)
    {
        normalized = (raw ?? "").Trim();
        error = "";
        if (normalized.Length is 0 or > 200)
        {
            error = "External id is empty or longer than 200 characters.";
            return false;
        }
        return true;
    }
}
