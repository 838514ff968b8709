namespace OmniConsole.Web.Components.Shared;

/// <summary>
/// Excel's rules for a worksheet's name, whatever the language made it: at most 31 characters, none of <c>[ ] : * ? / \</c>,
/// not empty. ClosedXML throws on a name that breaks them, which turned a Russian download into a 500.
/// </summary>
public static class SheetNames
{
    public const int MaxLength = 31;

    public static string Fit(string name)
    {
        var clean = new string(name.Select(c => c is '[' or ']' or ':' or '*' or '?' or '/' or '\\' ? ' ' : c).ToArray()).Trim().Trim('\'');
        if (clean.Length == 0) return "Sheet";
        return clean.Length <= MaxLength ? clean : clean[..(MaxLength - 1)].TrimEnd() + "…";
    }
}
