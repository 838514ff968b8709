namespace OmniConsole.Core.Common;

/// <summary>Download names people recognise: a slug of the thing's name (letters and digits, in any script) rather than only its id.</summary>
public static class FileNames
{
    public static string Slug(string name, string fallback)
    {
        var slug = new string(name.Trim().ToLowerInvariant().Select(ch => char.IsLetterOrDigit(ch) ? ch : '-').ToArray());
        while (slug.Contains("--", StringComparison.Ordinal)) slug = slug.Replace("--", "-", StringComparison.Ordinal);
        slug = slug.Trim('-');
        return slug.Length == 0 ? fallback : slug.Length > 40 ? slug[..40].Trim('-') : slug;
    }
}
