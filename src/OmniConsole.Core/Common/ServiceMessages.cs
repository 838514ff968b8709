using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace OmniConsole.Core.Common;

/// <summary>
/// The messages services answer with when they refuse something (a field's validation error, a change the status does not
/// allow). They are English, as the management API returns them, made from templates declared once per capability
/// (the string constants of <see cref="Areas"/>). The UI shows a message in its reader's language by matching it back to
/// its template, so the API's errors and their JSON carry nothing but the English text.
/// <para>
/// A placeholder with a format, <c>{1:campaign-}</c>, holds a word of a fixed vocabulary (a status), read from the
/// resource whose key is the format followed by the word (<c>campaign-running</c>); the value of any other placeholder (a
/// field's wrong value, an id, a list of names) is shown as it came. Numbers are passed formatted, not with a format.
/// </para>
/// </summary>
public static class ServiceMessages
{
    /// <summary>Every capability's templates: the classes marked <see cref="MessageTemplatesAttribute"/> (found, so Common names no capability).</summary>
    public static IReadOnlyList<Type> Areas { get; } = typeof(ServiceMessages).Assembly.GetTypes()
        .Where(t => t.IsDefined(typeof(MessageTemplatesAttribute), inherit: false)).OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> Templates { get; } = Areas
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Distinct().ToList();

    private static readonly Regex Placeholder = new(@"\{(\d+)(?::([^}]*))?\}", RegexOptions.CultureInvariant);
    // Longest literal text first: the first template that matches is the most specific one.
    private static readonly Lazy<Pattern[]> Patterns = new(() => Templates
        .OrderByDescending(t => t.Length - Placeholder.Matches(t).Sum(m => m.Length)).Select(Compile).ToArray());

    /// <summary>The English message, made as string interpolation makes it (in the current culture).</summary>
    public static string Format(string template, params object?[] args) => string.Format(CultureInfo.CurrentCulture, template, args);

    /// <summary>A placeholder of a template: its index and, for a word of a vocabulary, the key prefix.</summary>
    public sealed record Slot(int Index, string? Vocabulary);

    /// <summary>The placeholders of a template in the order they appear.</summary>
    public static IReadOnlyList<Slot> Slots(string template) =>
        Placeholder.Matches(template).Select(m => new Slot(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            m.Groups[2].Success ? m.Groups[2].Value : null)).ToList();

    /// <summary>The template <paramref name="message"/> was made from and its values by index; null for any other text.</summary>
    public static (string Template, string[] Values)? Match(string? message)
    {
        if (string.IsNullOrEmpty(message)) return null;
        foreach (var pattern in Patterns.Value)
        {
            Match match;
            try { match = pattern.Regex.Match(message); }
            catch (RegexMatchTimeoutException) { continue; }
            if (!match.Success) continue;
            var values = new string[pattern.Slots.Count == 0 ? 0 : pattern.Slots.Max(s => s.Index) + 1];
            foreach (var slot in pattern.Slots) values[slot.Index] = match.Groups[$"a{slot.Index}"].Value;
            return (pattern.Template, values);
        }
        return null;
    }

    /// <summary>
    /// The message in the reader's language: its template's resource filled with its values (words of a vocabulary by
    /// their resources). A message from no template, or with no resource, comes back as it is.
    /// </summary>
    /// <param name="resource">the resource for a key in the reader's language; null when there is none</param>
    public static string Translate(string? message, Func<string, string?> resource, CultureInfo culture)
    {
        if (Match(message) is not { } found || resource(found.Template) is not { } translated) return message ?? "";
        var (template, values) = found;
        foreach (var slot in Slots(template).Where(s => s.Vocabulary is not null))
            values[slot.Index] = resource(slot.Vocabulary + values[slot.Index]) ?? values[slot.Index];
        return string.Format(culture, translated, values.Cast<object?>().ToArray());
    }

    private sealed record Pattern(string Template, Regex Regex, IReadOnlyList<Slot> Slots);

    private static Pattern Compile(string template)
    {
        var regex = new StringBuilder("^");
        var at = 0;
        foreach (Match m in Placeholder.Matches(template))
        {
            regex.Append(Regex.Escape(template[at..m.Index])).Append($"(?<a{m.Groups[1].Value}>.*)");
            at = m.Index + m.Length;
        }
        regex.Append(Regex.Escape(template[at..])).Append('$');
        return new Pattern(template, new Regex(regex.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200)),
            Slots(template));
    }
}

/// <summary>Marks a capability's class of message templates (its public string constants), which <see cref="ServiceMessages"/> translates.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MessageTemplatesAttribute : Attribute;
