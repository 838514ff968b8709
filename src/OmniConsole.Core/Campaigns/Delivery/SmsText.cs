namespace OmniConsole.Core.Campaigns.Delivery;

public enum SmsEncoding
{
    /// <summary>The GSM 03.38 default alphabet: 7 bits a character, 160 in one SMS.</summary>
    Gsm7,
    /// <summary>Anything outside GSM-7 (Cyrillic, emoji…): 16 bits a UTF-16 code unit, 70 in one SMS.</summary>
    Ucs2,
}

/// <param name="Characters">GSM-7: septets (an extension-table character counts 2); UCS-2: UTF-16 code units (an emoji counts 2)</param>
/// <param name="Parts">SMS messages the text is sent as; 0 for an empty text</param>
public readonly record struct SmsLength(SmsEncoding Encoding, int Characters, int Parts);

/// <summary>How long an SMS is and how many parts it costs: the editor shows it, campaign validation limits it.</summary>
public static class SmsText
{
    public const int Gsm7SinglePart = 160;
    /// <summary>A concatenated part loses 7 septets to the user data header that numbers the parts.</summary>
    public const int Gsm7ConcatenatedPart = 153;
    public const int Ucs2SinglePart = 70;
    public const int Ucs2ConcatenatedPart = 67;

    // GSM 03.38 basic character set (without ESC, 0x1B, which only introduces the extension table).
    private const string BasicSet =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // The extension table: each is sent as ESC + a septet, so it takes two.
    private const string ExtensionSet = "\f^{}\\[~]|€";

    private static readonly HashSet<char> Basic = [.. BasicSet];
    private static readonly HashSet<char> Extension = [.. ExtensionSet];

    public static SmsLength Measure(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsGsm7(text) ? Gsm7Length(text) : Ucs2Length(text);
    }

    public static bool IsGsm7(string text) => text.All(c => Basic.Contains(c) || Extension.Contains(c));

    private static SmsLength Gsm7Length(string text)
    {
        var units = text.Select(c => Extension.Contains(c) ? 2 : 1).ToList();
        return new(SmsEncoding.Gsm7, units.Sum(), Parts(units, Gsm7SinglePart, Gsm7ConcatenatedPart));
    }

    private static SmsLength Ucs2Length(string text)
    {
        var units = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            // A surrogate pair is one unit of 2: phones show a broken character if a pair is split across parts.
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                units.Add(2);
                i++;
            }
            else
            {
                units.Add(1);
            }
        }
        return new(SmsEncoding.Ucs2, text.Length, Parts(units, Ucs2SinglePart, Ucs2ConcatenatedPart));
    }

    /// <summary>
    /// Packs the units into parts the way senders do: an ESC sequence or a surrogate pair never straddles two parts,
    /// so a concatenated text can take one part more than <c>ceil(characters / perPart)</c>.
    /// </summary>
    private static int Parts(List<int> units, int singlePart, int concatenatedPart)
    {
        var total = units.Sum();
        if (total == 0)
            return 0;
        if (total <= singlePart)
            return 1;

        var parts = 1;
        var used = 0;
        foreach (var unit in units)
        {
            if (used + unit > concatenatedPart)
            {
                parts++;
                used = 0;
            }
            used += unit;
        }
        return parts;
    }
}
