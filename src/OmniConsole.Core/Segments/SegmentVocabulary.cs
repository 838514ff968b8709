using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Segments;

/// <summary>
/// The values stored for cities, tiers and stores, matched the way conditions compare text: trimmed and
/// case-insensitively in any alphabet. SQLite's lower() folds ASCII only, so the matching happens here and the query
/// asks for the exact stored spellings (an indexed IN). Distinct cities and tiers are read from their indexes and kept
/// for a minute; the builder offers them as suggestions too. A wanted value the kept list lacks makes it read again at
/// once (at most every 5 s), and the wanted text's usual spellings (as typed, lower, upper, capitalised) are always asked for too: a city
/// first seen a second ago matches as one seen a year ago.
/// </summary>
public sealed class SegmentVocabulary(IDbContextFactory<OmniConsoleDbContext> dbFactory, TimeProvider clock)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);
    // Replaced whole, never changed: readers on other threads see an old list or a new one, never half of one.
    private sealed record Cached(DateTime At, IReadOnlyList<string> Values);
    private Cached? _cities, _tiers;

    public async Task<IReadOnlyList<string>> CitiesAsync(CancellationToken ct) =>
        (_cities = await FreshAsync(_cities, db => db.Customers.Where(c => c.City != null).Select(c => c.City!).Distinct(), ct)).Values;

    public async Task<IReadOnlyList<string>> TiersAsync(CancellationToken ct) =>
        (_tiers = await FreshAsync(_tiers, db => db.Customers.Select(c => c.Tier).Distinct(), ct)).Values;

    public async Task<List<string>> CategoriesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Products.Where(p => p.Category != null).Select(p => p.Category!).Distinct().OrderBy(c => c).ToListAsync(ct);
    }

    public async Task<List<string>> BrandsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Products.Where(p => p.Brand != null).Select(p => p.Brand!).Distinct().OrderBy(c => c).ToListAsync(ct);
    }

    public async Task<List<(string Code, string Name)>> StoresAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Stores.OrderBy(s => s.Code).Select(s => new { s.Code, s.Name }).ToListAsync(ct)).Select(s => (s.Code, s.Name)).ToList();
    }

    internal Task<List<string>> MatchCitiesAsync(IEnumerable<string> wanted, CancellationToken ct) =>
        MatchFreshAsync(wanted, () => _cities, c => _cities = c, db => db.Customers.Where(c => c.City != null).Select(c => c.City!).Distinct(), ct);

    internal Task<List<string>> MatchTiersAsync(IEnumerable<string> wanted, CancellationToken ct) =>
        MatchFreshAsync(wanted, () => _tiers, t => _tiers = t, db => db.Customers.Select(c => c.Tier).Distinct(), ct);

    private async Task<List<string>> MatchFreshAsync(IEnumerable<string> wanted, Func<Cached?> read, Action<Cached> keep,
        Func<OmniConsoleDbContext, IQueryable<string>> query, CancellationToken ct)
    {
        var texts = wanted.ToList();
        var cached = await FreshAsync(read(), query, ct);
        keep(cached);
        var matched = Match(cached.Values, texts);
        if (texts.Select(SegmentFacts.Key).Except(matched.Select(SegmentFacts.Key)).Any())
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (now - cached.At >= TimeSpan.FromSeconds(5) || now < cached.At) // at most every 5 s, for a value nobody has
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                keep(cached = new Cached(now, await query(db).ToListAsync(ct)));
                matched = Match(cached.Values, texts);
            }
        }
        return matched.Concat(texts.SelectMany(Spellings)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>How a value is usually written: as typed (trimmed), lower, upper, capitalised.</summary>
    private static IEnumerable<string> Spellings(string text)
    {
        var t = text.Trim();
        if (t.Length == 0) yield break;
        yield return t;
        yield return t.ToLowerInvariant();
        yield return t.ToUpperInvariant();
        yield return char.ToUpperInvariant(t[0]) + t[1..].ToLowerInvariant();
    }

    internal async Task<List<int>> MatchStoresAsync(string code, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stores = await db.Stores.Select(s => new { s.Id, s.Code }).ToListAsync(ct);
        var key = SegmentFacts.Key(code);
        return stores.Where(s => SegmentFacts.Key(s.Code) == key).Select(s => s.Id).ToList();
    }

    private static List<string> Match(IReadOnlyList<string> stored, IEnumerable<string> wanted)
    {
        var keys = wanted.Select(SegmentFacts.Key).ToHashSet(StringComparer.Ordinal);
        return stored.Where(s => keys.Contains(SegmentFacts.Key(s))).ToList();
    }

    private async Task<Cached> FreshAsync(Cached? cached, Func<OmniConsoleDbContext, IQueryable<string>> query, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (cached is not null && now - cached.At < Freshness && now >= cached.At) return cached;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return new Cached(now, await query(db).ToListAsync(ct));
    }
}
