using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OmniConsole.Tests;

/// <summary>
/// Finds the app's own English in text a Russian session shows (a page, a workbook, an audit entry): the words of the
/// English resources that the Russian ones never use. Words the Russian UI keeps in Latin letters (E-mail, SMS, Excel,
/// Viber…) are allowed, as are what staff and customers typed: e-mail addresses, links and codes in capitals are left
/// out, and <see cref="Data"/> holds the demo catalogue's brand and model words.
/// </summary>
public static partial class EnglishWords
{
    private static readonly Lazy<HashSet<string>> Forbidden = new(Load);

    /// <summary>Latin words of the demo's data (product names, brands) that also happen to be English words of the UI.</summary>
    public static readonly HashSet<string> Data = new(StringComparer.OrdinalIgnoreCase) { "Air", "Pro", "Modern", "Slim", "Smart", "Home", "Max", "Plus", "Lite", "Mini", "Watch", "Book", "Pad", "Attribute" };

    /// <summary>The app's English words in <paramref name="text"/>, each once.</summary>
    public static IReadOnlyList<string> In(string text)
    {
        text = Typed().Replace(text, " ");
        return Word().Matches(text).Select(m => m.Value)
            .Where(w => w.Length >= 3 && !w.All(char.IsUpper) && Forbidden.Value.Contains(w) && !Data.Contains(w))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static HashSet<string> Load()
    {
        var resources = Path.Combine(Root(), "src", "OmniConsole.Web", "Resources");
        HashSet<string> WordsOf(string file) => XDocument.Load(Path.Combine(resources, file)).Root!.Elements("data")
            .SelectMany(d => Word().Matches(Typed().Replace((string)d.Element("value")!, " ")).Select(m => m.Value))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var english = WordsOf("SharedResource.resx");
        english.ExceptWith(WordsOf("SharedResource.ru.resx"));
        return english;
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OmniConsole.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    [GeneratedRegex("[A-Za-z]+")]
    private static partial Regex Word();

    /// <summary>E-mail addresses, links, template tokens and placeholders: typed or technical, never the UI's words.</summary>
    [GeneratedRegex(@"\S+@\S+|https?://\S+|/[\w\-/.?=&%{}]+|\{\{\w+\}\}|\{\d+\}|[\w.\-]+\.(?:xlsx|json|csv)", RegexOptions.IgnoreCase)]
    private static partial Regex Typed();
}
