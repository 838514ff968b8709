using System.Text;
using Bogus.Extensions;

namespace OmniConsole.DemoData;

/// <summary>
/// Identifiers for generated customers, unique by construction: each is a bijective function of the customer's
/// ordinal, so a million customers need no set of used values. Showcase identifiers live in a separate range
/// (phones are moved to a spare operator code if they ever meet one, cards start with 21 instead of 20).
/// </summary>
internal sealed class DemoIdentifiers
{
    // Mobile operator codes after +7; 999 is kept aside for the rare phone that would equal a showcase one.
    private static readonly string[] OperatorCodes =
    [
        "900", "901", "902", "903", "904", "905", "906", "908", "909", "910", "911", "912", "913", "914", "915", "916",
        "917", "918", "919", "920", "921", "922", "923", "925", "926", "927", "928", "929", "950", "951", "952", "953",
        "960", "961", "962", "964", "965", "977", "981", "985",
    ];
    private const string SpareOperatorCode = "999";
    private static readonly HashSet<string> ShowcasePhones = [.. DemoShowcase.Phones];

    private static readonly string[] EmailDomains = ["example.ru", "example.ru", "example.com", "example.org", "example.net"];
    private const string CodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U to misread

    private readonly Dictionary<string, string> _latin = new(StringComparer.Ordinal);
    private long _orderSerial;
    private long _promoSerial;

    /// <summary>+79XXXXXXXXX: operator code by ordinal, then a subscriber number scrambled by an invertible affine map mod 10^7.</summary>
    public static string Phone(long ordinal)
    {
        var code = OperatorCodes[ordinal % OperatorCodes.Length];
        var subscriber = (ordinal / OperatorCodes.Length * 7_654_321 + 3_018_559) % 10_000_000;
        var phone = $"+7{code}{subscriber:D7}";
        return ShowcasePhones.Contains(phone) ? $"+7{SpareOperatorCode}{subscriber:D7}" : phone;
    }

    /// <summary>13-digit loyalty card: 21 and an 11-digit scrambled ordinal.</summary>
    public static string Card(long ordinal) => $"21{(ordinal * 7_919_239 + 10_000_000_019) % 100_000_000_000:D11}";

    public static string ExternalId(long ordinal) => $"OS-{ordinal + 100_000:D8}";

    /// <summary>A lower-case address from the transliterated name, unique through the ordinal; example domains only, so nothing can ever be mailed to a real person.</summary>
    public string Email(string firstName, string lastName, long ordinal, Random random)
    {
        var first = Latin(firstName);
        var last = Latin(lastName);
        var local = random.Next(4) switch
        {
            0 => $"{first}.{last}{ordinal}",
            1 => $"{first}{ordinal}",
            2 => $"{last}.{first[0]}{ordinal}",
            _ => $"{first}_{last}{ordinal}",
        };
        return $"{local}@{EmailDomains[random.Next(EmailDomains.Length)]}";
    }

    public string NextOrderNumber(string prefix) => $"{prefix}-{++_orderSerial:D8}";

    /// <summary>PREFIX-XXXXXX: six base32 characters of a scrambled serial (odd multiplier: a bijection mod 2^30).</summary>
    public string NextPromoCode(string prefix)
    {
        var scrambled = (++_promoSerial * 0x2545F491L) & ((1L << 30) - 1);
        var code = new StringBuilder(prefix.Length + 7).Append(prefix).Append('-');
        for (var shift = 25; shift >= 0; shift -= 5) code.Append(CodeAlphabet[(int)(scrambled >> shift) & 31]);
        return code.ToString();
    }

    private string Latin(string cyrillic)
    {
        if (_latin.TryGetValue(cyrillic, out var latin)) return latin;
        var letters = cyrillic.Transliterate("ru").ToLowerInvariant().Where(char.IsAsciiLetterLower).ToArray();
        return _latin[cyrillic] = letters.Length > 0 ? new string(letters) : "client";
    }
}
