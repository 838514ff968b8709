namespace OmniConsole.Core.Channels;

/// <summary>A channel system's key for the API. Only a hash is stored; the key is shown once when created.</summary>
public class ApiKey
{
    public int Id { get; set; }
    /// <summary>The channel system it belongs to; every call and every event is attributed to it.</summary>
    public string Name { get; set; } = "";
    /// <summary>The first characters of the key, to recognise it in the list.</summary>
    public string Prefix { get; set; } = "";
    public string KeyHash { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime? RevokedAtUtc { get; set; }
    public DateTime? LastUsedAtUtc { get; set; }
    /// <summary>What the key may call, comma-separated (<see cref="ApiScopes"/>): <c>channel</c>, <c>segments</c>, <c>exports</c>, <c>loyalty</c>, <c>campaigns</c> (<c>management</c>: all four).</summary>
    public string Scopes { get; set; } = ApiScopes.Channel;
    /// <summary>Calls a minute this key may make on each instance; null: <c>RateLimits:ApiPerMinute</c> (6,000).</summary>
    public int? CallsPerMinute { get; set; }
}

/// <summary>
/// Key scopes (MANAGEMENT-API.md, "Keys and scopes"): <c>channel</c> for the channel API (events, lookup, timeline,
/// quote); <c>segments</c>, <c>exports</c>, <c>loyalty</c> (rules, tiers, promo codes) and <c>campaigns</c> for the
/// management API. <c>management</c> is the older name for all four: keys that have it keep working.
/// </summary>
public static class ApiScopes
{
    public const string Channel = "channel";
    public const string Segments = "segments";
    public const string Exports = "exports";
    public const string Loyalty = "loyalty";
    public const string Campaigns = "campaigns";
    public const string Management = "management";
    /// <summary>The four scopes <see cref="Management"/> stands for.</summary>
    public static readonly IReadOnlyList<string> ManagementParts = [Segments, Exports, Loyalty, Campaigns];
    public static readonly IReadOnlyList<string> All = [Channel, Segments, Exports, Loyalty, Campaigns, Management];

    /// <summary>Known scopes from a list, lower-cased and de-duplicated; unknown names are reported in <paramref name="unknown"/>.</summary>
    public static List<string> Normalise(IEnumerable<string?> scopes, out List<string> unknown)
    {
        var names = scopes.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim().ToLowerInvariant()).Distinct().ToList();
        unknown = names.Where(s => !All.Contains(s)).ToList();
        return All.Where(names.Contains).ToList();
    }

    /// <summary>What a key may call: its scopes with <see cref="Management"/> spelt out as the four it stands for.</summary>
    public static IReadOnlyList<string> Effective(IEnumerable<string> scopes)
    {
        var list = scopes.ToList();
        return list.Contains(Management) ? [.. list.Where(s => s != Management).Union(ManagementParts)] : list;
    }

    public static string Join(IEnumerable<string> scopes) => string.Join(',', scopes);
    public static IReadOnlyList<string> Split(string? scopes) => (scopes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
