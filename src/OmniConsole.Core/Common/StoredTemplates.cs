using System.Globalization;
using System.Text.RegularExpressions;

namespace OmniConsole.Core.Common;

/// <summary>
/// Texts stored in English from templates ("Return of order {0}") so that a record does not change with its reader, and
/// read back in the reader's language by matching the template they were made from. Templates are tried in order: put a
/// longer one before a shorter one it starts with.
/// </summary>
public sealed class StoredTemplates(IReadOnlyList<string> templates)
{
    private readonly (string Template, Regex Pattern)[] _patterns = templates
        .Select(t => (t, new Regex("^" + Regex.Replace(Regex.Escape(t), @"\\\{(\d)}", "(?<a$1>.*)") + "$", RegexOptions.Singleline)))
        .ToArray();

    public IReadOnlyList<string> Templates => templates;

    /// <summary>Stored text in the reader's language; text made from no known template (or older wording) comes back as it is.</summary>
    public string Translate(string? stored, Func<string, string> translate, CultureInfo culture)
    {
        if (string.IsNullOrEmpty(stored)) return "";
        foreach (var (template, pattern) in _patterns)
        {
            var match = pattern.Match(stored);
            if (!match.Success) continue;
            var args = Enumerable.Range(0, 10).TakeWhile(i => match.Groups[$"a{i}"].Success)
                .Select(i => (object)Translate(match.Groups[$"a{i}"].Value, translate, culture)).ToArray();
            return string.Format(culture, translate(template), args);
        }
        return stored;
    }
}
