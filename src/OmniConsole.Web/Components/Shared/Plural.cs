using System.Globalization;
using Microsoft.Extensions.Localization;

namespace OmniConsole.Web.Components.Shared;

/// <summary>
/// A count with its noun in the right form: a resource holds the noun's forms separated by "|", as many as the language
/// has — English two (one, other: "character|characters"), Russian three (one, few, many: "символ|символа|символов").
/// </summary>
public static class Plural
{
    /// <summary>"64 символа": the count, formatted, and the form of <paramref name="forms"/> (a resource key) it takes.</summary>
    public static string Count(this IStringLocalizer localizer, long count, string forms)
    {
        var culture = CultureInfo.CurrentUICulture;
        var all = localizer[forms].Value.Split('|');
        var form = all[Math.Min(FormIndex(count, culture), all.Length - 1)];
        return $"{count.ToString("N0", CultureInfo.CurrentCulture)} {form}";
    }

    /// <summary>0 one, 1 few, 2 many (Russian: 1, 21 символ; 2–4, 22 символа; 0, 5–20, 11–14 символов); other languages: 0 one, 1 other.</summary>
    public static int FormIndex(long count, CultureInfo culture)
    {
        var n = Math.Abs(count);
        if (culture.TwoLetterISOLanguageName != "ru") return n == 1 ? 0 : 1;
        if (n % 10 == 1 && n % 100 != 11) return 0;
        if (n % 10 is >= 2 and <= 4 && n % 100 is < 12 or > 14) return 1;
        return 2;
    }
}
