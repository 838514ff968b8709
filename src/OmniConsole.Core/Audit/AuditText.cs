using System.Globalization;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Audit;

/// <summary>
/// The texts written into audit details and merge reasons. They are stored in English (the record must not change with
/// the reader), and read back in the reader's language by matching the template they were made from.
/// </summary>
public static class AuditText
{
    public const string ApiKey = "API key '{0}' ({1}…)";
    public const string Merged = "Customer #{0} ({1}) merged into #{2}: {3}";
    public const string MergeReason = "event {0} named identifiers of both";
    public const string BonusAdjusted = "Points adjusted by {0}: {1}";

    public static IReadOnlyList<string> Templates { get; } = [Merged, ApiKey, MergeReason, BonusAdjusted];

    private static readonly StoredTemplates Known = new(Templates);

    public static string Format(string template, params object?[] args) => string.Format(CultureInfo.InvariantCulture, template, args);

    /// <summary>Stored text in the reader's language; text made from no known template (or older wording) comes back as it is.</summary>
    public static string Translate(string? stored, Func<string, string> translate, CultureInfo culture) => Known.Translate(stored, translate, culture);
}
